package autoscaling_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/autoscaling"
	"bilhetagem/internal/scaling"
)

// fakeTable answers DescribeTable from fixed state and records every
// UpdateTable; nothing reaches AWS.
type fakeTable struct {
	table     ddbtypes.TableDescription
	described []*dynamodb.DescribeTableInput
	updates   []*dynamodb.UpdateTableInput
	updateErr error
}

func (f *fakeTable) DescribeTable(_ context.Context, in *dynamodb.DescribeTableInput, _ ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error) {
	f.described = append(f.described, in)
	t := f.table
	return &dynamodb.DescribeTableOutput{Table: &t}, nil
}

func (f *fakeTable) UpdateTable(_ context.Context, in *dynamodb.UpdateTableInput, _ ...func(*dynamodb.Options)) (*dynamodb.UpdateTableOutput, error) {
	f.updates = append(f.updates, in)
	return &dynamodb.UpdateTableOutput{}, f.updateErr
}

const tableName = "bilhetagem-dev-Data"

func tableWith(read, write int64, status ddbtypes.TableStatus) ddbtypes.TableDescription {
	return ddbtypes.TableDescription{TableName: aws.String(tableName), TableStatus: status,
		WarmThroughput: &ddbtypes.TableWarmThroughputDescription{ReadUnitsPerSecond: aws.Int64(read), WriteUnitsPerSecond: aws.Int64(write), Status: status}}
}

func raiseTo(read, write int64) *dynamodb.UpdateTableInput {
	return &dynamodb.UpdateTableInput{TableName: aws.String(tableName),
		WarmThroughput: &ddbtypes.WarmThroughput{ReadUnitsPerSecond: aws.Int64(read), WriteUnitsPerSecond: aws.Int64(write)}}
}

func TestRaiseAsksForThePlansWarmThroughput(t *testing.T) {
	t.Parallel()
	f := &fakeTable{table: tableWith(12_000, 4_000, ddbtypes.TableStatusActive)}
	w := &autoscaling.TableWarmer{Client: f, Table: tableName}
	res, err := w.Raise(context.Background(), scaling.Warm{Read: 28_000, Write: 6_000})
	require.NoError(t, err)
	assert.Equal(t, []*dynamodb.DescribeTableInput{{TableName: aws.String(tableName)}}, f.described)
	assert.Equal(t, []*dynamodb.UpdateTableInput{raiseTo(28_000, 6_000)}, f.updates)
	assert.Equal(t, scaling.WarmApplied{Want: scaling.Warm{Read: 28_000, Write: 6_000}, Before: scaling.Warm{Read: 12_000, Write: 4_000}, Raised: true}, res)
}

func TestRaiseNeverLowersEitherFigure(t *testing.T) {
	t.Parallel()
	// Reads are already above the plan (an earlier, larger window); only
	// writes go up, and reads are sent at the table's own value.
	f := &fakeTable{table: tableWith(40_000, 4_000, ddbtypes.TableStatusActive)}
	w := &autoscaling.TableWarmer{Client: f, Table: tableName}
	res, err := w.Raise(context.Background(), scaling.Warm{Read: 28_000, Write: 6_000})
	require.NoError(t, err)
	assert.Equal(t, []*dynamodb.UpdateTableInput{raiseTo(40_000, 6_000)}, f.updates)
	assert.True(t, res.Raised)
}

func TestRaiseAsksNothingWhenTheTableHasEnough(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name        string
		read, write int64
	}{{"equal", 28_000, 6_000}, {"above", 50_000, 9_000}} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeTable{table: tableWith(c.read, c.write, ddbtypes.TableStatusActive)}
			w := &autoscaling.TableWarmer{Client: f, Table: tableName}
			res, err := w.Raise(context.Background(), scaling.Warm{Read: 28_000, Write: 6_000})
			require.NoError(t, err)
			assert.Len(t, f.described, 1)
			assert.Empty(t, f.updates, "no UpdateTable when the table already has enough")
			assert.False(t, res.Raised)
			assert.False(t, res.Deferred)
		})
	}
}

func TestRaiseWaitsForATableBeingUpdated(t *testing.T) {
	t.Parallel()
	t.Run("the table says it is updating: no call", func(t *testing.T) {
		t.Parallel()
		f := &fakeTable{table: tableWith(12_000, 4_000, ddbtypes.TableStatusUpdating)}
		w := &autoscaling.TableWarmer{Client: f, Table: tableName}
		res, err := w.Raise(context.Background(), scaling.Warm{Read: 28_000, Write: 6_000})
		require.NoError(t, err)
		assert.Empty(t, f.updates)
		assert.True(t, res.Deferred)
	})
	t.Run("UpdateTable answers ResourceInUse: deferred, not an error", func(t *testing.T) {
		t.Parallel()
		f := &fakeTable{table: tableWith(12_000, 4_000, ddbtypes.TableStatusActive),
			updateErr: &ddbtypes.ResourceInUseException{Message: aws.String("Attempt to change a resource which is still in use")}}
		w := &autoscaling.TableWarmer{Client: f, Table: tableName}
		res, err := w.Raise(context.Background(), scaling.Warm{Read: 28_000, Write: 6_000})
		require.NoError(t, err)
		assert.Len(t, f.updates, 1)
		assert.True(t, res.Deferred)
		assert.False(t, res.Raised)
	})
	t.Run("any other failure is an error", func(t *testing.T) {
		t.Parallel()
		f := &fakeTable{table: tableWith(12_000, 4_000, ddbtypes.TableStatusActive), updateErr: errors.New("AccessDenied")}
		w := &autoscaling.TableWarmer{Client: f, Table: tableName}
		_, err := w.Raise(context.Background(), scaling.Warm{Read: 28_000, Write: 6_000})
		assert.ErrorContains(t, err, "raise warm throughput of "+tableName+": AccessDenied")
	})
}

func TestRaiseOnATableWithoutWarmThroughputReadsZero(t *testing.T) {
	t.Parallel()
	f := &fakeTable{table: ddbtypes.TableDescription{TableName: aws.String(tableName), TableStatus: ddbtypes.TableStatusActive}}
	w := &autoscaling.TableWarmer{Client: f, Table: tableName}
	res, err := w.Raise(context.Background(), scaling.Warm{Read: 12_000, Write: 4_000})
	require.NoError(t, err)
	assert.Equal(t, []*dynamodb.UpdateTableInput{raiseTo(12_000, 4_000)}, f.updates)
	assert.Equal(t, scaling.Warm{}, res.Before)
}
