package dynamo

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

const typeRateWindow = "RATE_WINDOW"

// Take counts one request of subject in bucket's window that starts at
// start, unless limit requests are counted there already: one conditional
// update of one item, so concurrent Lambdas never count past the limit. The
// item carries a TTL of expires; DynamoDB deletes it some time after.
// It implements ratelimit.Counter.
func (s *Store) Take(ctx context.Context, bucket, subject string, start, expires time.Time, limit int) (bool, error) {
	_, err := s.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                aws.String(s.name),
		Key:                      key(rateLimitPK(bucket, subject), rateWindowSK(start)),
		UpdateExpression:         aws.String("ADD #n :one SET #ty = :ty, #ttl = if_not_exists(#ttl, :ttl)"),
		ConditionExpression:      aws.String("attribute_not_exists(#n) OR #n < :limit"),
		ExpressionAttributeNames: map[string]string{"#n": "Count", "#ty": "Type", "#ttl": Table.TTLAttribute},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":one": num(1), ":limit": num(limit), ":ty": str(typeRateWindow), ":ttl": num64(expires.Unix()),
		},
	})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return false, nil
	}
	if err != nil {
		return false, translate("take rate limit", err)
	}
	return true, nil
}
