package devoidc

import "strings"

// User is a seeded account the development issuer can sign in.
type User struct {
	Subject string
	Email   string
	Name    string
	Groups  []string
}

// Username is the short name typed or posted to sign in: the subject without
// its "user-" prefix.
func (u User) Username() string { return strings.TrimPrefix(u.Subject, "user-") }

// IsStaff reports whether the user is in the staff group.
func (u User) IsStaff() bool {
	for _, g := range u.Groups {
		if g == "staff" {
			return true
		}
	}
	return false
}

// Users are the accounts of the local environment and the tests: two buyers
// and one member of staff.
var Users = []User{
	{Subject: "user-ana", Email: "ana@exemplo.com.br", Name: "Ana Souza"},
	{Subject: "user-bruno", Email: "bruno@exemplo.com.br", Name: "Bruno Lima"},
	{Subject: "user-carla", Email: "carla@exemplo.com.br", Name: "Carla Mendes", Groups: []string{"staff"}},
}

// FindUser finds a seeded user by short name (ana), subject (user-ana) or
// email, ignoring case.
func FindUser(username string) (User, bool) {
	username = strings.TrimSpace(username)
	if username == "" {
		return User{}, false
	}
	for _, u := range Users {
		if strings.EqualFold(username, u.Username()) ||
			strings.EqualFold(username, u.Subject) ||
			strings.EqualFold(username, u.Email) {
			return u, true
		}
	}
	return User{}, false
}
