package stripemock

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the kernel end stripe-mock when the Go process that
// started it dies, so a killed test run leaves no stripe-mock behind.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
