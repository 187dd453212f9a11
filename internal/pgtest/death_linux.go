package pgtest

import "syscall"

// setDeathSignal makes the server die with the test binary, should the
// binary be killed before it stops the server.
func setDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGQUIT }
