package gotool

import (
	"os/exec"
	"syscall"
)

// DieWithParent makes the kernel end the process when the Go process that
// started it dies, so a killed test run leaves nothing behind.
func DieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
