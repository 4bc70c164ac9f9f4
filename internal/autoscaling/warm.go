package autoscaling

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"bilhetagem/internal/scaling"
)

// TableAPI is the part of the DynamoDB client the warmer uses
// (*dynamodb.Client implements it).
type TableAPI interface {
	DescribeTable(ctx context.Context, in *dynamodb.DescribeTableInput, opts ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error)
	UpdateTable(ctx context.Context, in *dynamodb.UpdateTableInput, opts ...func(*dynamodb.Options)) (*dynamodb.UpdateTableOutput, error)
}

// TableWarmer raises the table's warm throughput to the plan's figures
// (scaling.Warmth). DynamoDB can only raise warm throughput, so it reads the
// current value first, asks only for more and never for less, and asks
// nothing when the table already has enough: running it every 15 minutes
// changes the table once per raise.
type TableWarmer struct {
	Client TableAPI
	Table  string
}

var _ scaling.Warmth = (*TableWarmer)(nil)

// Raise brings the table's warm throughput up to want. A table that is being
// updated (its own status or its warm throughput's is not ACTIVE, or
// UpdateTable answers ResourceInUseException) is left alone: the result is
// Deferred, not an error, and the next run tries again.
func (w *TableWarmer) Raise(ctx context.Context, want scaling.Warm) (scaling.WarmApplied, error) {
	res := scaling.WarmApplied{Want: want}
	d, err := w.Client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(w.Table)})
	if err != nil {
		return res, fmt.Errorf("describe table %s: %w", w.Table, err)
	}
	if d.Table == nil {
		return res, fmt.Errorf("describe table %s: no table in the answer", w.Table)
	}
	busy := d.Table.TableStatus != ddbtypes.TableStatusActive
	if wt := d.Table.WarmThroughput; wt != nil {
		res.Before = scaling.Warm{Read: int(aws.ToInt64(wt.ReadUnitsPerSecond)), Write: int(aws.ToInt64(wt.WriteUnitsPerSecond))}
		busy = busy || (wt.Status != "" && wt.Status != ddbtypes.TableStatusActive)
	}
	if res.Before.Read >= want.Read && res.Before.Write >= want.Write {
		return res, nil
	}
	if busy {
		res.Deferred = true
		return res, nil
	}
	// Both figures are sent, each the larger of the table's and the
	// plan's: one the plan asks less of stays where it is.
	_, err = w.Client.UpdateTable(ctx, &dynamodb.UpdateTableInput{
		TableName: aws.String(w.Table),
		WarmThroughput: &ddbtypes.WarmThroughput{
			ReadUnitsPerSecond:  aws.Int64(int64(max(res.Before.Read, want.Read))),
			WriteUnitsPerSecond: aws.Int64(int64(max(res.Before.Write, want.Write))),
		},
	})
	var inUse *ddbtypes.ResourceInUseException
	if errors.As(err, &inUse) {
		res.Deferred = true
		return res, nil
	}
	if err != nil {
		return res, fmt.Errorf("raise warm throughput of %s: %w", w.Table, err)
	}
	res.Raised = true
	return res, nil
}
