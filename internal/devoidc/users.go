package devoidc

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"bilhetagem/internal/auth"
)

// User is an account the development issuer can sign in.
type User struct {
	Subject string
	Email   string
	Name    string
	Groups  []string
}

// Username is the short name typed or posted to sign in: the subject without
// its "user-" prefix.
func (u User) Username() string { return strings.TrimPrefix(u.Subject, subjectPrefix) }

// IsStaff reports whether the user is in the staff group.
func (u User) IsStaff() bool { return slices.Contains(u.Groups, auth.StaffGroup) }

const (
	subjectPrefix = "user-"
	emailDomain   = "@exemplo.com.br"
	maxUsername   = 64
)

// Users are the seeded accounts of the local environment and the tests, as
// the issuer signs them in with DefaultStaff: two buyers and one member of
// staff. Any other valid username signs in too (see Issuer.User).
var Users = []User{
	{Subject: "user-ana", Email: "ana@exemplo.com.br", Name: "Ana Souza"},
	{Subject: "user-bruno", Email: "bruno@exemplo.com.br", Name: "Bruno Lima"},
	{Subject: "user-carla", Email: "carla@exemplo.com.br", Name: "Carla Mendes", Groups: []string{auth.StaffGroup}},
}

// DefaultStaff are the usernames signed in as staff when Config.Staff is nil.
var DefaultStaff = []string{"carla"}

// ErrInvalidUsername is wrapped by every refused username.
var ErrInvalidUsername = errors.New("invalid username")

// ParseUsername returns the canonical name that s signs in as. A name is 1
// to 64 ASCII letters, digits, '.', '-' or '_', starting and ending with a
// letter or digit, without "..", compared without case; its subject
// (user-<name>) and e-mail (<name>@exemplo.com.br) name the same user.
func ParseUsername(s string) (string, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	name = strings.TrimSuffix(name, emailDomain)
	for strings.HasPrefix(name, subjectPrefix) {
		name = strings.TrimPrefix(name, subjectPrefix)
	}
	if !validName(name) {
		return "", fmt.Errorf("%w %q: use 1 to %d letters a-z, digits, '.', '-' or '_', "+
			"starting and ending with a letter or digit, without '..'", ErrInvalidUsername, s, maxUsername)
	}
	return name, nil
}

func validName(name string) bool {
	if len(name) < 1 || len(name) > maxUsername || strings.Contains(name, "..") {
		return false
	}
	for i, c := range []byte(name) {
		alnum := (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
		edge := i == 0 || i == len(name)-1
		if !alnum && (edge || (c != '.' && c != '-' && c != '_')) {
			return false
		}
	}
	return true
}

// FindUser finds a seeded user by short name (ana), subject (user-ana) or
// email, ignoring case.
func FindUser(username string) (User, bool) {
	name, err := ParseUsername(username)
	if err != nil {
		return User{}, false
	}
	for _, u := range Users {
		if u.Username() == name {
			return u, true
		}
	}
	return User{}, false
}

// newUser is the account of a name that is not seeded: a buyer whose
// subject, e-mail and display name derive from the name alone.
func newUser(name string) User {
	return User{Subject: subjectPrefix + name, Email: name + emailDomain, Name: name}
}

// staffNames validates and canonicalises the staff usernames, dropping
// repeats; nil means DefaultStaff.
func staffNames(names []string) ([]string, error) {
	if names == nil {
		names = DefaultStaff
	}
	out := make([]string, 0, len(names))
	for _, n := range names {
		name, err := ParseUsername(n)
		if err != nil {
			return nil, fmt.Errorf("staff: %w", err)
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out, nil
}

// SplitUsernames splits a comma-separated list of usernames, dropping blanks;
// it never returns nil, so an empty list means nobody rather than the default.
func SplitUsernames(list string) []string {
	out := []string{}
	for _, n := range strings.Split(list, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}
