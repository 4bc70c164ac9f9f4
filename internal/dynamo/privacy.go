package dynamo

// What happens to each kind of item when a buyer exports their data or
// deletes their account (LGPD; docs/adr/0612). Every kind the table holds
// is named here, and a test fails for a kind that is not: a new kind of item
// must say whether it is a buyer's, and what deletion does to it.

// Erasure is what deleting an account does to a kind of item.
type Erasure string

const (
	// NotPersonal items hold nothing of any buyer: the catalogue,
	// counters, staff settings.
	NotPersonal Erasure = "not personal"
	// Deleted items go with the account.
	Deleted Erasure = "deleted"
	// Anonymized items are kept for fiscal and accounting rules, with the
	// buyer replaced by an alias no one can trace back to them.
	Anonymized Erasure = "anonymized"
	// Expiring items name the buyer for a short while and are deleted by
	// TTL (the longest keep is in Why); none holds their e-mail or name.
	Expiring Erasure = "expires"
)

// KindPolicy is one kind's export and erasure.
type KindPolicy struct {
	// Export names the section of the buyer's export that carries the
	// kind; empty for a kind not exported.
	Export  string
	Erasure Erasure
	Why     string
}

// Kinds is the policy of every item kind of the table, by its Type.
var Kinds = map[string]KindPolicy{
	typeProfile:           {Export: "profile", Erasure: Deleted, Why: "the buyer's e-mail, name and accepted terms (consent)"},
	typeOrder:             {Export: "orders", Erasure: Anonymized, Why: "a sale: fiscal rules keep it for 5 years"},
	typePayment:           {Export: "payments", Erasure: Anonymized, Why: "money taken or returned: kept with its order"},
	typeTicket:            {Export: "tickets", Erasure: Anonymized, Why: "an issued ticket: attendance and meia-entrada records"},
	typeNotice:            {Export: "notices", Erasure: Deleted, Why: "what the cinema told the buyer"},
	typeWREntry:           {Export: "waitingRoomEntries", Erasure: Deleted, Why: "a place in a premiere's queue; TTL 48 h after entering"},
	typeWRBuyer:           {Erasure: Deleted, Why: "the buyer's marker of a waiting-room entry, a copy of it"},
	typeConcessionHistory: {Export: "concessionHistory", Erasure: Deleted, Why: "counts of the bomboniere products the buyer bought, for ranking"},
	typeHoldSlot:          {Erasure: Deleted, Why: "a slot of the buyer's hold limit, in their partition"},
	typeHoldChurn:         {Erasure: Deleted, Why: "a count of the buyer's holds of a showtime, in their partition"},
	typeSeat:              {Erasure: Anonymized, Why: "a sold seat names its holder; kept with the ticket"},
	typeHold:              {Erasure: Anonymized, Why: "a hold that became an order is kept with it; others expire a day after the hold"},
	typeBuyerHold:         {Erasure: Expiring, Why: "the buyer's marker of a live hold; TTL a day after the hold expires"},
	typeIdempotency:       {Erasure: Expiring, Why: "a replayable answer, keyed by buyer and key; TTL 24 h"},
	typeRateWindow:        {Erasure: Expiring, Why: "a rate-limit counter of the buyer; TTL minutes"},
	typeEmailSend:         {Erasure: Expiring, Why: "the claim of one e-mail, keyed by the notice (which names the buyer); TTL 7 days"},
	typeSuppression:       {Erasure: Deleted, Why: "a hash of an address that bounced or complained; no address is kept"},

	typePaymentWait:      {Erasure: NotPersonal, Why: "the workflow's task token of an order"},
	typePspEvent:         {Erasure: NotPersonal, Why: "a provider event id, for deduplication"},
	typeSimCharge:        {Erasure: NotPersonal, Why: "the payment simulator's charge: amounts and payment id"},
	typeOrderStock:       {Erasure: NotPersonal, Why: "the bomboniere stock an order took"},
	typePickup:           {Erasure: NotPersonal, Why: "a pickup code, its order and the staff who handed it over"},
	typeCancellation:     {Erasure: NotPersonal, Why: "a cancelled showtime's order ids"},
	typeMeiaShard:        {Erasure: NotPersonal, Why: "a showtime's meia-entrada count"},
	typeSalesHour:        {Erasure: NotPersonal, Why: "tickets sold per movie and hour"},
	typeAttach:           {Erasure: NotPersonal, Why: "bomboniere attach counts of all buyers"},
	typeQueue:            {Erasure: NotPersonal, Why: "a waiting-room shard's counters"},
	typeQueueListing:     {Erasure: NotPersonal, Why: "the list of opened queues"},
	typeWaitingRoom:      {Erasure: NotPersonal, Why: "the waiting room's settings"},
	typeScalingOverrides: {Erasure: NotPersonal, Why: "ops' scaling overrides"},
	typeReconcileMark:    {Erasure: NotPersonal, Why: "the reconciliation's watermark"},
	typeCinema:           {Erasure: NotPersonal, Why: "catalogue"},
	typeRoom:             {Erasure: NotPersonal, Why: "catalogue"},
	typeLayout:           {Erasure: NotPersonal, Why: "catalogue"},
	typeRoomBusy:         {Erasure: NotPersonal, Why: "schedule"},
	typeMovie:            {Erasure: NotPersonal, Why: "catalogue"},
	typeShowtime:         {Erasure: NotPersonal, Why: "catalogue"},
	typePrices:           {Erasure: NotPersonal, Why: "catalogue"},
	typeProduct:          {Erasure: NotPersonal, Why: "catalogue"},
	typeStock:            {Erasure: NotPersonal, Why: "a cinema's bomboniere stock"},
}
