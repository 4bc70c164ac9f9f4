package dynamolocal

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the kernel end DynamoDB Local when the Go process that
// started it dies, so a killed test run leaves no Java behind.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
