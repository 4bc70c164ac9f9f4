package devoidc_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/devoidc"
)

func TestParseUsername(t *testing.T) {
	t.Parallel()
	ok := []struct {
		name, in, want string
	}{
		{"a seeded name is itself", "ana", "ana"},
		{"a new name is itself", "joao", "joao"},
		{"capitals and blanks around do not matter", "  Joao.Silva ", "joao.silva"},
		{"the subject names the same user", "user-joao", "joao"},
		{"the e-mail names the same user", "JOAO@exemplo.com.br", "joao"},
		{"a repeated subject prefix is read as one", "user-user-joao", "joao"},
		{"digits, dots, hyphens and underscores inside are kept", "vb-a_00001.x", "vb-a_00001.x"},
		{"one character is enough", "7", "7"},
		{"64 characters are allowed", strings.Repeat("a", 64), strings.Repeat("a", 64)},
		{"a name called staff is just a name", "staff", "staff"},
	}
	for _, tc := range ok {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := devoidc.ParseUsername(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}

	refused := []struct{ name, in string }{
		{"an empty name is refused", ""},
		{"a blank name is refused", "   "},
		{"the bare subject prefix is refused", "user-"},
		{"65 characters are refused", strings.Repeat("a", 65)},
		{"a space inside is refused", "ana souza"},
		{"an accented letter is refused", "joão"},
		{"an e-mail in another domain is refused", "ana@outro.com.br"},
		{"markup is refused", "<script>"},
		{"a leading dot is refused", ".ana"},
		{"a trailing hyphen is refused", "ana-"},
		{"a leading underscore is refused", "_ana"},
		{"two dots in a row are refused", "ana..souza"},
		{"a slash is refused", "ana/../carla"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := devoidc.ParseUsername(tc.in)
			require.ErrorIs(t, err, devoidc.ErrInvalidUsername)
			assert.ErrorContains(t, err, "1 to 64 letters")
		})
	}
}

func TestIssuerSignsInAnyName(t *testing.T) {
	t.Parallel()
	iss, err := devoidc.New(devoidc.Config{Issuer: "http://localhost:8080/auth", Audience: clientID, Key: testKey})
	require.NoError(t, err)
	user := func(t *testing.T, name string) devoidc.User {
		t.Helper()
		u, err := iss.User(name)
		require.NoError(t, err)
		return u
	}

	t.Run("the seeded users keep their subjects, e-mails and names", func(t *testing.T) {
		t.Parallel()
		for _, want := range devoidc.Users {
			assert.Equal(t, want, user(t, want.Username()))
		}
	})

	cases := []struct {
		name, username string
		want           devoidc.User
	}{
		{"a new name is a buyer named after it", "joao", devoidc.User{Subject: "user-joao", Email: "joao@exemplo.com.br", Name: "joao"}},
		{"a load-test buyer signs in by its number", "vb-a-00042", devoidc.User{Subject: "user-vb-a-00042", Email: "vb-a-00042@exemplo.com.br", Name: "vb-a-00042"}},
		{"a name in capitals is the same user", "JOAO", devoidc.User{Subject: "user-joao", Email: "joao@exemplo.com.br", Name: "joao"}},
		{"a new name's subject signs in as it", "user-joao", devoidc.User{Subject: "user-joao", Email: "joao@exemplo.com.br", Name: "joao"}},
		{"a new name's e-mail signs in as it", "joao@exemplo.com.br", devoidc.User{Subject: "user-joao", Email: "joao@exemplo.com.br", Name: "joao"}},
		{"a name called staff is not staff", "staff", devoidc.User{Subject: "user-staff", Email: "staff@exemplo.com.br", Name: "staff"}},
		{"a name called admin is not staff", "admin", devoidc.User{Subject: "user-admin", Email: "admin@exemplo.com.br", Name: "admin"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := user(t, tc.username)
			assert.Equal(t, tc.want, got)
			assert.False(t, got.IsStaff())
		})
	}

	t.Run("the same name twice is the same subject, two names are two", func(t *testing.T) {
		t.Parallel()
		assert.Equal(t, user(t, "tester-1").Subject, user(t, "tester-1").Subject)
		assert.NotEqual(t, user(t, "tester-1").Subject, user(t, "tester-2").Subject)
		assert.NotEqual(t, user(t, "tester-1").Email, user(t, "tester-2").Email)
	})

	t.Run("a refused name signs in no one", func(t *testing.T) {
		t.Parallel()
		_, err := iss.User("ana souza")
		assert.ErrorIs(t, err, devoidc.ErrInvalidUsername)
	})
}

func TestStaffIsOnlyWhoIsListed(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		staff    []string
		username string
		want     bool
	}{
		{"by default carla is staff", nil, "carla", true},
		{"by default carla's e-mail is staff", nil, "carla@exemplo.com.br", true},
		{"by default ana is a buyer", nil, "ana", false},
		{"by default a name called staff is a buyer", nil, "staff", false},
		{"by default a name called admin is a buyer", nil, "admin", false},
		{"a listed new name is staff", []string{"gerente"}, "gerente", true},
		{"a listed name is staff in any case", []string{"Gerente"}, "GERENTE", true},
		{"a name listed by its subject is staff", []string{"user-gerente"}, "gerente", true},
		{"a list without carla makes carla a buyer", []string{"gerente"}, "carla", false},
		{"a list makes a seeded buyer staff", []string{"ana"}, "ana", true},
		{"a name called staff is a buyer unless listed", []string{"gerente"}, "staff", false},
		{"a name called staff is staff once listed", []string{"staff"}, "staff", true},
		{"an empty list makes nobody staff", []string{}, "carla", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := startWith(t, func(c *devoidc.Config) { c.Staff = tc.staff })

			u, err := e.issuer.User(tc.username)
			require.NoError(t, err)
			assert.Equal(t, tc.want, u.IsStaff())

			// The API sees the same through a token from /token.
			resp, body := e.post(t, "/token", url.Values{"username": {tc.username}})
			require.Equal(t, http.StatusOK, resp.StatusCode, body)
			p, claims, err := e.verifier.Verify(t.Context(), decodeToken(t, body).IDToken)
			require.NoError(t, err)
			assert.Equal(t, u.Subject, p.Subject)
			assert.Equal(t, tc.want, p.IsStaff())
			if !tc.want {
				assert.NotContains(t, claims, "groups", "a buyer's token carries no groups")
			}
		})
	}

	t.Run("seeded users are not changed by the issuer's list", func(t *testing.T) {
		t.Parallel()
		e := startWith(t, func(c *devoidc.Config) { c.Staff = []string{"ana"} })
		_, err := e.issuer.User("ana")
		require.NoError(t, err)
		assert.False(t, devoidc.Users[0].IsStaff())
		assert.True(t, devoidc.Users[2].IsStaff())
	})
}

func TestNewValidatesTheStaffList(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"", "gerente@cinema.com.br", "ger ente", ".x"} {
		t.Run(fmt.Sprintf("a staff entry %q is refused", bad), func(t *testing.T) {
			t.Parallel()
			_, err := devoidc.New(devoidc.Config{Issuer: "http://localhost:8080/auth", Audience: clientID, Key: testKey,
				Staff: []string{"carla", bad}})
			require.ErrorIs(t, err, devoidc.ErrInvalidUsername)
			assert.ErrorContains(t, err, "staff")
		})
	}
}

func TestSplitUsernames(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in string
		want     []string
	}{
		{"one name", "carla", []string{"carla"}},
		{"names are split on commas and trimmed", " carla, gerente ,bilheteria", []string{"carla", "gerente", "bilheteria"}},
		{"blanks are dropped", "carla,, ,", []string{"carla"}},
		{"an empty list is empty, not the default", "", []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := devoidc.SplitUsernames(tc.in)
			require.NotNil(t, got)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestTokenEndpointSignsInAnyName(t *testing.T) {
	t.Parallel()
	e := start(t)
	sign := func(t *testing.T, username string) string {
		t.Helper()
		resp, body := e.post(t, "/token", url.Values{"username": {username}})
		require.Equal(t, http.StatusOK, resp.StatusCode, body)
		p, _, err := e.verifier.Verify(t.Context(), decodeToken(t, body).IDToken)
		require.NoError(t, err)
		assert.False(t, p.IsStaff())
		return p.Subject
	}

	t.Run("token/200 a new name gets a verified token with its subject and e-mail", func(t *testing.T) {
		t.Parallel()
		resp, body := e.post(t, "/token", url.Values{"username": {"Tester.01"}})
		require.Equal(t, http.StatusOK, resp.StatusCode, body)
		p, claims, err := e.verifier.Verify(t.Context(), decodeToken(t, body).IDToken)
		require.NoError(t, err)
		assert.Equal(t, "user-tester.01", p.Subject)
		assert.Equal(t, "tester.01@exemplo.com.br", p.Email)
		assert.Equal(t, "tester.01", p.Name)
		assert.Equal(t, true, claims["email_verified"])
	})

	t.Run("token/200 the same name twice gets the same subject, two names two", func(t *testing.T) {
		t.Parallel()
		assert.Equal(t, sign(t, "buyer-7"), sign(t, "buyer-7"))
		assert.Equal(t, sign(t, "buyer-7"), sign(t, "user-buyer-7"))
		assert.NotEqual(t, sign(t, "buyer-7"), sign(t, "buyer-8"))
	})

	refused := []struct{ name, username string }{
		{"token/400 a name with a slash is an invalid grant", "ana/carla"},
		{"token/400 a name of 65 characters is an invalid grant", strings.Repeat("x", 65)},
		{"token/400 an accented name is an invalid grant", "joão"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resp, body := e.post(t, "/token", url.Values{"username": {tc.username}})
			require.Equal(t, http.StatusBadRequest, resp.StatusCode, body)
			assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
			var te struct {
				Error       string `json:"error"`
				Description string `json:"error_description"`
			}
			require.NoError(t, json.Unmarshal([]byte(body), &te))
			assert.Equal(t, "invalid_grant", te.Error)
			assert.Equal(t, fmt.Sprintf("invalid username %q: use 1 to 64 letters a-z, digits, '.', '-' or '_', "+
				"starting and ending with a letter or digit, without '..'", tc.username), te.Description)
		})
	}
}

func TestLoginPageSignsInAnyName(t *testing.T) {
	t.Parallel()

	t.Run("authorize/200 the login page has a field for any name beside the quick picks", func(t *testing.T) {
		t.Parallel()
		e := start(t)
		resp, body := e.get(t, "/authorize?"+idTokenParams().Encode(), nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, body)
		assert.Contains(t, body, `<label for="username">`)
		assert.Contains(t, body, `<input id="username" name="username" required maxlength="64"`)
		assert.Equal(t, 2, strings.Count(body, `<form method="post" action="authorize"`))
		assert.Equal(t, 2, strings.Count(body, `name="nonce" value="n-456"`), "each form carries the request")
	})

	t.Run("authorize/200 listed staff who are not seeded get a quick pick too", func(t *testing.T) {
		t.Parallel()
		e := startWith(t, func(c *devoidc.Config) { c.Staff = []string{"gerente"} })
		resp, body := e.get(t, "/authorize?"+idTokenParams().Encode(), nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, body)
		assert.Contains(t, body, `name="username" value="gerente">gerente (equipe)`)
		assert.Contains(t, body, `name="username" value="carla">Carla Mendes<span`, "carla is not staff on this server")
	})

	t.Run("authorize/303 a typed name comes back as a verified ID token", func(t *testing.T) {
		t.Parallel()
		e := start(t)
		loc := login(t, e, "Tester-42", idTokenParams())
		p, claims, err := e.verifier.Verify(t.Context(), fragment(t, loc).Get("id_token"))
		require.NoError(t, err)
		assert.Equal(t, "user-tester-42", p.Subject)
		assert.False(t, p.IsStaff())
		assert.Equal(t, "n-456", claims["nonce"])
	})

	t.Run("authorize/400 a refused name is answered in pt-BR, with no redirect", func(t *testing.T) {
		t.Parallel()
		e := start(t)
		form := idTokenParams()
		form.Set("username", "ana souza")
		resp, body := e.post(t, "/authorize", form)
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		assert.Contains(t, body, "Não foi possível entrar")
		assert.Contains(t, body, "Nome de usuário inválido")
		assert.Empty(t, resp.Header.Get("Location"))
	})
}
