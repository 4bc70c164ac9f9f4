package mailpit

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the kernel end Mailpit when the Go process that
// started it dies, so a killed test run leaves no Mailpit behind.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
