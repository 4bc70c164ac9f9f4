// Command benchholds measures seat holds on a real DynamoDB Local, in one
// run: holds per second through the real createHold handler (validation,
// auth, planning, the transaction) against the raw rate of the same
// TransactWriteItems shape sent straight to the store, and seat-map reads
// through getShowtime against a raw Query of the same items. It prints a
// table for docs/benchmarks.md. It is a benchmark, not a test: it asserts
// nothing about time.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"bilhetagem/internal/api"
	"bilhetagem/internal/apigw"
	"bilhetagem/internal/booking"
	"bilhetagem/internal/catalog"
	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/dynamo/dynamolocal"
	"bilhetagem/internal/money"
	"bilhetagem/internal/operations"
	"bilhetagem/openapi"
)

func main() {
	duration := flag.Duration("duration", 8*time.Second, "how long each measurement runs")
	workers := flag.Int("workers", 16, "concurrent callers")
	flag.Parse()
	if err := run(*duration, *workers); err != nil {
		fmt.Fprintln(os.Stderr, "benchholds:", err)
		os.Exit(1)
	}
}

const (
	rows       = 20
	seatsInRow = 30
	showtimes  = 300
)

func run(d time.Duration, workers int) error {
	ctx := context.Background()
	db, err := dynamolocal.Start(ctx, dynamolocal.Options{})
	if err != nil {
		return err
	}
	defer db.Stop()
	store, err := dynamo.Open(ctx, dynamo.Config{Table: "bench", Endpoint: db.Endpoint, Timeout: time.Minute, DialTimeout: 30 * time.Second})
	if err != nil {
		return err
	}
	if err := store.CreateTable(ctx); err != nil {
		return err
	}
	start := time.Now().Add(48 * time.Hour).Truncate(time.Hour)
	if err := fixture(ctx, store, start); err != nil {
		return err
	}
	doc, err := openapi.Load()
	if err != nil {
		return err
	}
	v, err := apigw.NewValidator(doc)
	if err != nil {
		return err
	}
	cache := &catalog.Cache{Store: store}
	hs := api.Build(api.Deps{
		Catalog: &catalog.Service{Store: store, Cache: cache},
		Booking: &booking.Service{Store: store, Catalog: cache, Policy: booking.DefaultPolicy},
		Store:   store,
		Log:     slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, v)
	raw, err := rawClient(ctx, db.Endpoint)
	if err != nil {
		return err
	}

	// Each hold takes a distinct pair of seats of a distinct showtime slot,
	// so the two paths measure throughput, not contention.
	var next atomic.Int64
	slot := func() (showtime string, a, b string) {
		n := int(next.Add(1) - 1)
		pairsPerShowtime := rows * seatsInRow / 2
		st := n / pairsPerShowtime % showtimes
		p := n % pairsPerShowtime
		row := string(rune('A' + p/(seatsInRow/2)))
		col := p%(seatsInRow/2)*2 + 1
		return fmt.Sprintf("st-bench-%03d", st), row + strconv.Itoa(col), row + strconv.Itoa(col+1)
	}

	handlerHold := func(ctx context.Context, i int) error {
		st, a, b := slot()
		resp, err := hs[operations.CreateHold].Handle(ctx, event(operations.CreateHold,
			fmt.Sprintf(`{"showtimeId":%q,"seats":[{"seatId":%q,"ticketType":"INTEIRA"},{"seatId":%q,"ticketType":"INTEIRA"}]}`, st, a, b),
			nil, fmt.Sprintf("buyer-h-%d", i)))
		if err != nil {
			return err
		}
		if resp.StatusCode != 201 {
			return fmt.Errorf("createHold answered %d: %s", resp.StatusCode, resp.Body)
		}
		return nil
	}
	rawHold := func(ctx context.Context, i int) error {
		st, a, b := slot()
		return rawTransaction(ctx, raw, st, a, b, fmt.Sprintf("buyer-r-%d", i))
	}
	seatMap := func(ctx context.Context, i int) error {
		st := fmt.Sprintf("st-bench-%03d", i%showtimes)
		resp, err := hs[operations.GetShowtime].Handle(ctx, event(operations.GetShowtime, "", map[string]string{"showtimeId": st}, ""))
		if err != nil || resp.StatusCode != 200 {
			return fmt.Errorf("getShowtime answered %d: %v", resp.StatusCode, err)
		}
		return nil
	}
	rawQuery := func(ctx context.Context, i int) error {
		st := fmt.Sprintf("st-bench-%03d", i%showtimes)
		_, err := raw.Query(ctx, &dynamodb.QueryInput{
			TableName: aws.String("bench"), ConsistentRead: aws.Bool(true),
			KeyConditionExpression:    aws.String("PK = :pk"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: "SHOWTIME#" + st}},
		})
		return err
	}

	fmt.Printf("DynamoDB Local in memory, %d concurrent callers, %s per measurement, %d showtimes of %d seats\n\n", workers, d, showtimes, rows*seatsInRow)
	// Warm both paths (JIT of DynamoDB Local, connection pools, caches).
	if _, err := measure(ctx, 2*time.Second, workers, rawHold); err != nil {
		return err
	}
	if _, err := measure(ctx, 2*time.Second, workers, handlerHold); err != nil {
		return err
	}
	rawRes, err := measure(ctx, d, workers, rawHold)
	if err != nil {
		return err
	}
	handlerRes, err := measure(ctx, d, workers, handlerHold)
	if err != nil {
		return err
	}
	queryRes, err := measure(ctx, d, workers, rawQuery)
	if err != nil {
		return err
	}
	mapRes, err := measure(ctx, d, workers, seatMap)
	if err != nil {
		return err
	}
	fmt.Printf("%-44s %10s %9s %9s %7s\n", "path", "ops/s", "p50", "p99", "ratio")
	fmt.Printf("%-44s %10.0f %9s %9s %7s\n", "raw TransactWriteItems (2 seats+hold+marker)", rawRes.rate, ms(rawRes.p50), ms(rawRes.p99), "1.00")
	fmt.Printf("%-44s %10.0f %9s %9s %7.2f\n", "createHold handler, 2 seats", handlerRes.rate, ms(handlerRes.p50), ms(handlerRes.p99), handlerRes.rate/rawRes.rate)
	fmt.Printf("%-44s %10.0f %9s %9s %7s\n", "raw Query of a showtime partition", queryRes.rate, ms(queryRes.p50), ms(queryRes.p99), "1.00")
	fmt.Printf("%-44s %10.0f %9s %9s %7.2f\n", "getShowtime handler (seat map)", mapRes.rate, ms(mapRes.p50), ms(mapRes.p99), mapRes.rate/queryRes.rate)
	return nil
}

// calls numbers every call of every measurement, so buyers and hold ids
// never repeat.
var calls atomic.Int64

type result struct {
	rate     float64
	p50, p99 time.Duration
}

// measure runs op from workers goroutines for d and reports the rate and
// latency percentiles of the calls that finished.
func measure(ctx context.Context, d time.Duration, workers int, op func(context.Context, int) error) (result, error) {
	var (
		mu    sync.Mutex
		lats  []time.Duration
		first error
		wg    sync.WaitGroup
	)
	deadline := time.Now().Add(d)
	began := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var local []time.Duration
			for time.Now().Before(deadline) {
				t0 := time.Now()
				if err := op(ctx, int(calls.Add(1))); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					return
				}
				local = append(local, time.Since(t0))
			}
			mu.Lock()
			lats = append(lats, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if first != nil {
		return result{}, first
	}
	elapsed := time.Since(began)
	slices.Sort(lats)
	pct := func(p float64) time.Duration {
		if len(lats) == 0 {
			return 0
		}
		return lats[min(len(lats)-1, int(p*float64(len(lats))))]
	}
	return result{rate: float64(len(lats)) / elapsed.Seconds(), p50: pct(0.50), p99: pct(0.99)}, nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func event(opID, body string, params map[string]string, sub string) events.APIGatewayV2HTTPRequest {
	op, _ := operations.ByID(opID)
	ev := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: op.Method + " /api" + op.Path, RawPath: "/api" + op.Path, Body: body,
		Headers: map[string]string{"content-type": "application/json"}, PathParameters: params,
		RequestContext: events.APIGatewayV2HTTPRequestContext{RequestID: "bench",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: op.Method}},
	}
	if sub != "" {
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: map[string]string{"sub": sub}}}
	}
	return ev
}

func fixture(ctx context.Context, store *dynamo.Store, start time.Time) error {
	var pattern []string
	for range rows {
		row := ""
		for range seatsInRow {
			row += "S"
		}
		pattern = append(pattern, row)
	}
	layout, err := catalog.ParseLayout(1, pattern)
	if err != nil {
		return err
	}
	data := dynamo.CatalogData{
		Cinemas: []catalog.Cinema{{ID: "cin-bench", Name: "Bench", GapPolicy: catalog.GapWarn}},
		Rooms:   []catalog.Room{{CinemaID: "cin-bench", ID: "room-bench", Name: "Sala", Formats: []catalog.Format{catalog.Format2D}, Layout: layout}},
		Movies:  []catalog.Movie{{ID: "mov-bench", Title: "Bench", AgeRating: catalog.RatingL, RuntimeMinutes: 100, ReleaseDate: catalog.DateOf(start.Add(-72 * time.Hour))}},
	}
	all := []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
	data.Prices = []catalog.PriceTable{{CinemaID: "cin-bench", Rules: []catalog.PriceRule{{Format: catalog.Format2D, Weekdays: all, Inteira: 3000}},
		SeatSurcharges: map[catalog.SeatType]money.BRL{}}}
	for i := range showtimes {
		s := start.Add(time.Duration(i) * time.Minute)
		data.Showtimes = append(data.Showtimes, catalog.ShowtimeListing{
			Showtime: catalog.Showtime{ID: fmt.Sprintf("st-bench-%03d", i), MovieID: "mov-bench", CinemaID: "cin-bench", RoomID: "room-bench",
				StartsAt: s.UTC(), Format: catalog.Format2D, Language: catalog.Dubbed, LayoutVersion: 1},
			EndsAt: s.Add(100 * time.Minute).UTC(), MovieTitle: "Bench", CinemaName: "Bench", RoomName: "Sala",
		})
	}
	_, err = store.PutCatalog(ctx, data)
	return err
}

func rawClient(ctx context.Context, endpoint string) (*dynamodb.Client, error) {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion("sa-east-1"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("local", "local", "")))
	if err != nil {
		return nil, err
	}
	return dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.DisableValidateResponseChecksum = true
	}), nil
}

// rawTransaction is the createHold transaction's shape for two inteira
// seats, built by hand: two conditional seat Puts, the hold Put and the
// buyer's marker Put.
func rawTransaction(ctx context.Context, c *dynamodb.Client, showtime, a, b, buyer string) error {
	now := time.Now()
	exp := strconv.FormatInt(now.Add(10*time.Minute).UnixMilli(), 10)
	s := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	n := func(v string) types.AttributeValue { return &types.AttributeValueMemberN{Value: v} }
	holdID := "h-raw-" + buyer
	nowMs := n(strconv.FormatInt(now.UnixMilli(), 10))
	seat := func(id string) types.TransactWriteItem {
		return types.TransactWriteItem{Put: &types.Put{
			TableName: aws.String("bench"),
			Item: map[string]types.AttributeValue{"PK": s("SHOWTIME#" + showtime), "SK": s("SEAT#" + id), "Type": s("SEAT"),
				"SeatID": s(id), "Status": s("HELD"), "HoldID": s(holdID), "Holder": s(buyer), "TicketType": s("INTEIRA"), "ExpMs": n(exp)},
			ConditionExpression:       aws.String("attribute_not_exists(PK) OR (#st = :held AND ExpMs <= :now)"),
			ExpressionAttributeNames:  map[string]string{"#st": "Status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":held": s("HELD"), ":now": nowMs},
		}}
	}
	items := []types.TransactWriteItem{seat(a), seat(b),
		{Put: &types.Put{TableName: aws.String("bench"), ConditionExpression: aws.String("attribute_not_exists(PK)"),
			Item: map[string]types.AttributeValue{"PK": s("HOLD#" + holdID), "SK": s("META"), "Type": s("HOLD"), "ShowtimeID": s(showtime),
				"Holder": s(buyer), "Status": s("ACTIVE"), "ExpMs": n(exp)}}},
		{Put: &types.Put{TableName: aws.String("bench"), ConditionExpression: aws.String("attribute_not_exists(PK) OR ExpMs <= :now"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":now": nowMs},
			Item: map[string]types.AttributeValue{"PK": s("SHOWTIME#" + showtime), "SK": s("BUYER#" + buyer), "Type": s("BUYER_HOLD"),
				"HoldID": s(holdID), "ExpMs": n(exp)}}},
	}
	_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	return err
}
