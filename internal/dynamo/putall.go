package dynamo

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/guregu/dynamo/v2"
)

// putMissing writes the items that do not exist yet and returns how many
// it created; it never changes an item that exists. It first reads which
// keys exist (BatchGetItem, 100 keys a call), then writes the missing items
// 25 a call (BatchWriteItem): a catalog of thousands of items costs a few
// hundred calls instead of one conditional put per item.
func (s *Store) putMissing(ctx context.Context, items []any) (int, error) {
	const workers = 4
	keys := make([]map[string]types.AttributeValue, 0, len(items))
	byKey := make(map[string]map[string]types.AttributeValue, len(items))
	var order []string
	for _, it := range items {
		av, err := dynamo.MarshalItem(it)
		if err != nil {
			return 0, fmt.Errorf("put items: %w", err)
		}
		k := keyString(av)
		if _, dup := byKey[k]; dup {
			continue // one put per key: the first item of a key wins
		}
		byKey[k] = av
		order = append(order, k)
		keys = append(keys, map[string]types.AttributeValue{Table.PartitionKey: av[Table.PartitionKey], Table.SortKey: av[Table.SortKey]})
	}
	existing, err := s.existingKeys(ctx, keys)
	if err != nil {
		return 0, translate("put items", err)
	}
	var chunks [][]map[string]types.AttributeValue
	var chunk []map[string]types.AttributeValue
	for _, k := range order {
		if existing[k] {
			continue
		}
		chunk = append(chunk, byKey[k])
		if len(chunk) == putChunk {
			chunks, chunk = append(chunks, chunk), nil
		}
	}
	if len(chunk) > 0 {
		chunks = append(chunks, chunk)
	}

	var (
		mu       sync.Mutex
		created  int
		firstErr error
		wg       sync.WaitGroup
		next     = make(chan []map[string]types.AttributeValue)
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range next {
				n, err := s.putChunkIfAbsent(ctx, c)
				mu.Lock()
				created += n
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		}()
	}
	for _, c := range chunks {
		next <- c
	}
	close(next)
	wg.Wait()
	return created, translate("put items", firstErr)
}

// putChunk is how many items one BatchWriteItem puts: DynamoDB's limit.
const putChunk = 25

// putChunkIfAbsent writes items that were absent when existingKeys read
// them, in one BatchWriteItem, retrying what DynamoDB leaves unprocessed.
// A batch put takes no condition: an item someone else wrote between that
// read and this write would be replaced, which the seed, applied at start
// on a table nobody else writes yet, never meets.
func (s *Store) putChunkIfAbsent(ctx context.Context, items []map[string]types.AttributeValue) (int, error) {
	reqs := make([]types.WriteRequest, len(items))
	for i, it := range items {
		reqs[i] = types.WriteRequest{PutRequest: &types.PutRequest{Item: it}}
	}
	pending := map[string][]types.WriteRequest{s.name: reqs}
	for attempt := 0; len(pending[s.name]) > 0; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return 0, ctx.Err()
			case <-time.After(time.Duration(attempt) * 50 * time.Millisecond):
			}
		}
		out, err := s.client.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: pending})
		if err != nil {
			return 0, err
		}
		pending = out.UnprocessedItems
	}
	return len(items), nil
}

// existingKeys reads which of keys are items of the table, 100 keys a call.
func (s *Store) existingKeys(ctx context.Context, keys []map[string]types.AttributeValue) (map[string]bool, error) {
	const batch = 100
	found := map[string]bool{}
	proj := aws.String("#pk, #sk")
	names := map[string]string{"#pk": Table.PartitionKey, "#sk": Table.SortKey}
	for len(keys) > 0 {
		n := min(batch, len(keys))
		req := map[string]types.KeysAndAttributes{s.name: {Keys: keys[:n], ProjectionExpression: proj, ExpressionAttributeNames: names}}
		keys = keys[n:]
		for len(req) > 0 {
			out, err := s.client.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: req})
			if err != nil {
				return nil, err
			}
			for _, it := range out.Responses[s.name] {
				found[keyString(it)] = true
			}
			req = out.UnprocessedKeys
		}
	}
	return found, nil
}

// keyString is an item's primary key as one string.
func keyString(item map[string]types.AttributeValue) string {
	str := func(v types.AttributeValue) string {
		if s, ok := v.(*types.AttributeValueMemberS); ok {
			return s.Value
		}
		return fmt.Sprint(v)
	}
	return str(item[Table.PartitionKey]) + "\x00" + str(item[Table.SortKey])
}
