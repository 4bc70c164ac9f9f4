package operations

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMemorySizesNameRegistryOperations(t *testing.T) {
	t.Parallel()
	for id, mb := range memoryMB {
		_, ok := ByID(id)
		assert.True(t, ok, "memoryMB lists %s, which is not in the registry", id)
		assert.GreaterOrEqual(t, mb, 128, "%s: Lambda's minimum is 128 MB", id)
		assert.LessOrEqual(t, mb, 10240, "%s: Lambda's maximum is 10240 MB", id)
	}
	for _, op := range All {
		assert.Positive(t, op.MemoryMB(), "%s has a memory size", op.ID)
	}
}
