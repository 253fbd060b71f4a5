package user

import (
	"errors"
	"testing"
)

func TestKeepsAdministrator(t *testing.T) {
	t.Parallel()
	ada := &User{ID: 1, Email: "ada@example.org", Role: Administrator}
	ben := &User{ID: 2, Email: "ben@example.org", Role: Administrator}
	eve := &User{ID: 3, Email: "eve@example.org", Role: Editor}
	with := func(u *User, change func(*User)) *User {
		c := *u
		change(&c)
		return &c
	}
	disabled := func(u *User) { u.Disabled = true }
	demoted := func(u *User) { u.Role = Editor }
	for _, test := range []struct {
		name          string
		before, after []*User
		refused       *User
	}{
		{"disable one of two administrators", []*User{ada, ben}, []*User{with(ada, disabled), ben}, nil},
		{"disable the last", []*User{ada, eve}, []*User{with(ada, disabled), eve}, ada},
		{"delete the last", []*User{ada, eve}, []*User{eve}, ada},
		{"demote the last", []*User{ada, eve}, []*User{with(ada, demoted), eve}, ada},
		{"the other is disabled", []*User{ada, with(ben, disabled)}, []*User{with(ada, disabled), with(ben, disabled)}, ada},
		{"delete an editor", []*User{ada, eve}, []*User{ada}, nil},
		// A site without an administrator (made with user add --role
		// editor) is not locked further by changes to others.
		{"no administrator before", []*User{eve}, []*User{with(eve, disabled)}, nil},
		{"enable an administrator", []*User{with(ada, disabled)}, []*User{ada}, nil},
	} {
		t.Run(test.name, func(t *testing.T) {
			err := KeepsAdministrator(test.before, test.after)
			var last *LastAdministratorError
			switch {
			case test.refused == nil && err != nil:
				t.Errorf("KeepsAdministrator = %v, want nil", err)
			case test.refused != nil && (!errors.As(err, &last) || last.User.ID != test.refused.ID):
				t.Errorf("KeepsAdministrator = %v, want a LastAdministratorError naming %s", err, test.refused.Email)
			}
		})
	}
}
