package operations

// DefaultMemoryMB is the Lambda memory of an operation not listed in
// memoryMB: a catalog read, a small query and a JSON encode.
const DefaultMemoryMB = 256

// memoryMB sizes the operations whose work is heavier than a catalog read.
// Lambda gives CPU in proportion to memory, so the hot paths of a premiere
// (seat holds, orders, payments, the PSP callback, seat maps) get more to
// keep their p99 low, and the operations that only echo the caller or answer
// a ping get less. The CDK reads MemoryMB; a test keeps the keys in the
// registry.
var memoryMB = map[string]int{
	GetHealth:               128,
	GetMe:                   128,
	GetShowtime:             512, // the whole seat map of a room
	CreateHold:              512, // a transaction over every held seat
	ListHoldRecommendations: 512, // scores the free seats of a room
	CreateOrder:             512,
	CreatePayment:           512,
	ReceivePspWebhook:       512,
	CheckInTicket:           512, // verifies a signed QR at the door
}

// MemoryMB is the Lambda memory size of the operation's function, in MB.
func (o Operation) MemoryMB() int {
	if mb, ok := memoryMB[o.ID]; ok {
		return mb
	}
	return DefaultMemoryMB
}
