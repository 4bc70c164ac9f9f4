package booking

// The showtime's meia counter is split into shards so that no single item
// takes every meia hold of a premiere: one item tops out near 500
// transactional writes per second (facts §5). Each shard has its own slice of
// the cap and the store increments a shard only under the condition that it
// stays within its slice, so the shards together never pass the cap.

// MeiaShards is the most shards a showtime's meia counter is split into.
const MeiaShards = 8

// ShardCaps splits the meia cap over the shards: shard i may count caps[i].
func ShardCaps(meiaCap int) []int {
	n := min(MeiaShards, meiaCap)
	if n <= 0 {
		return nil
	}
	caps := make([]int, n)
	for i := range caps {
		caps[i] = meiaCap / n
		if i < meiaCap%n {
			caps[i]++
		}
	}
	return caps
}

// Allocate spreads k meia tickets over shards with room, starting at shard
// start and going round, so concurrent holds start on different shards. It
// reports false, and how many are left in all, when k does not fit.
func Allocate(caps, counts []int, k, start int) (map[int]int, int, bool) {
	left := 0
	for i, c := range caps {
		left += max(0, c-counts[i])
	}
	if k > left {
		return nil, left, false
	}
	out := map[int]int{}
	for j := 0; j < len(caps) && k > 0; j++ {
		i := (start + j) % len(caps)
		room := caps[i] - counts[i]
		if room <= 0 {
			continue
		}
		take := min(room, k)
		out[i] = take
		k -= take
	}
	return out, left, true
}
