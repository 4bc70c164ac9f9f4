package dynamo

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	stypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"bilhetagem/internal/notify"
)

// StreamReader reads the table's stream and hands each write the mailer
// acts on to Handle, in order per shard. A record Handle fails is read
// again at the next Poll, as the Lambda's event source retries a batch. It
// is the local stand-in for the Lambda on the DynamoDB Stream
// (docs/adr/0613).
type StreamReader struct {
	store  *Store
	arn    *string
	start  stypes.ShardIteratorType
	handle func(context.Context, notify.Change) error
	open   map[string]*string // open shards' next iterator
	done   map[string]bool    // shards read to their end
}

// NewStreamReader reads the stream from its oldest record, or only what is
// written from now on (latest).
func (s *Store) NewStreamReader(ctx context.Context, latest bool, handle func(context.Context, notify.Change) error) (*StreamReader, error) {
	desc, err := s.client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(s.name)})
	if err != nil {
		return nil, translate("describe table", err)
	}
	if desc.Table.LatestStreamArn == nil {
		return nil, errors.New("stream reader: the table has no stream")
	}
	r := &StreamReader{store: s, arn: desc.Table.LatestStreamArn, start: stypes.ShardIteratorTypeTrimHorizon, handle: handle,
		open: map[string]*string{}, done: map[string]bool{}}
	if latest {
		r.start = stypes.ShardIteratorTypeLatest
	}
	return r, r.shards(ctx)
}

// shards opens an iterator on each shard not yet read.
func (r *StreamReader) shards(ctx context.Context) error {
	ds, err := r.store.streams.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: r.arn})
	if err != nil {
		return translate("describe stream", err)
	}
	for _, sh := range ds.StreamDescription.Shards {
		id := aws.ToString(sh.ShardId)
		if _, open := r.open[id]; open || r.done[id] {
			continue
		}
		it, err := r.store.streams.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: r.arn,
			ShardId: sh.ShardId, ShardIteratorType: r.start})
		if err != nil {
			return translate("shard iterator", err)
		}
		r.open[id] = it.ShardIterator
	}
	return nil
}

// Poll reads each shard once and says how many records it read.
func (r *StreamReader) Poll(ctx context.Context) (int, error) {
	if err := r.shards(ctx); err != nil {
		return 0, err
	}
	read := 0
	for id, it := range r.open {
		out, err := r.store.streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it})
		if err != nil {
			return read, translate("read stream", err)
		}
		next := out.NextShardIterator
		for _, rec := range out.Records {
			read++
			c, ok := changeOf(rec)
			if !ok {
				continue
			}
			if err := r.handle(ctx, c); err != nil {
				// Read again from this record at the next poll.
				again, ierr := r.store.streams.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: r.arn,
					ShardId: aws.String(id), ShardIteratorType: stypes.ShardIteratorTypeAtSequenceNumber,
					SequenceNumber: rec.Dynamodb.SequenceNumber})
				if ierr != nil {
					return read, translate("shard iterator", ierr)
				}
				next = again.ShardIterator
				break
			}
		}
		if next == nil {
			delete(r.open, id)
			r.done[id] = true
			continue
		}
		r.open[id] = next
	}
	return read, nil
}

// Follow polls every interval until ctx ends; a failed poll is logged by
// the caller's handle and tried again.
func (r *StreamReader) Follow(ctx context.Context, every time.Duration, failed func(error)) {
	for {
		if _, err := r.Poll(ctx); err != nil && ctx.Err() == nil {
			failed(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}

// changeOf reads the write the mailer may act on from a stream record.
func changeOf(r stypes.Record) (notify.Change, bool) {
	if r.Dynamodb == nil || (r.EventName != stypes.OperationTypeInsert && r.EventName != stypes.OperationTypeModify) {
		return notify.Change{}, false
	}
	s := func(img map[string]stypes.AttributeValue, name string) string {
		if v, ok := img[name].(*stypes.AttributeValueMemberS); ok {
			return v.Value
		}
		return ""
	}
	nw, old := r.Dynamodb.NewImage, r.Dynamodb.OldImage
	return notify.ChangeOf(s(nw, "Type"), func(name string) string { return s(nw, name) }, func(name string) string { return s(old, name) })
}
