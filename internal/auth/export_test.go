package auth

import "time"

// SetMinRefreshForTest lets tests see a rotated key without waiting for the
// unknown-kid refetch limit.
func SetMinRefreshForTest(v *Verifier, d time.Duration) {
	v.keys.mu.Lock()
	defer v.keys.mu.Unlock()
	v.keys.minRefresh = d
}
