//go:build !unix

package pgtest

import (
	"errors"
	"os"
	"os/exec"
)

var quitSignal = os.Kill

type noCredential struct{}

func credential(string) (*noCredential, error) {
	return nil, errors.New("pgtest runs PostgreSQL on Unix systems only")
}

func setCredential(*exec.Cmd, *noCredential) {}
