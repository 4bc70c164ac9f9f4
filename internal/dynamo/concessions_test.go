package dynamo_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/concessions"
	"bilhetagem/internal/dynamo/dynamotest"
)

func TestAttachAggregates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := dynamotest.NewStore(t)
	pipoca := catalog.Product{ID: "prd-pipoca", Category: catalog.CategoryPopcorn}
	refri := catalog.Product{ID: "prd-refri", Category: catalog.CategoryDrink}
	combo := catalog.Product{ID: "prd-combo", Category: catalog.CategoryCombo}

	pay := func(order, buyer string, seg concessions.Segment, products ...catalog.Product) {
		_, err := store.Client().TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
			TransactItems: store.AttachWrites(order, buyer, seg, products)})
		require.NoError(t, err)
	}
	pay("ord-1", "user-ana", concessions.SegmentCouple, combo)
	pay("ord-2", "user-ana", concessions.SegmentSolo, pipoca, refri, pipoca)
	pay("ord-3", "user-bruno", concessions.SegmentSolo)

	t.Run("aggregates sum every shard per segment, a product once per order", func(t *testing.T) {
		agg, err := store.ReadAggregates(ctx)
		require.NoError(t, err)
		assert.Equal(t, 3, agg.All.Orders)
		assert.Equal(t, map[string]int{"prd-combo": 1, "prd-pipoca": 1, "prd-refri": 1}, agg.All.Products)
		assert.Equal(t, 2, agg.Segment(concessions.SegmentSolo).Orders)
		assert.Equal(t, 1, agg.Segment(concessions.SegmentCouple).Products["prd-combo"])
		assert.Zero(t, agg.Segment(concessions.SegmentFamily).Orders)
	})
	t.Run("a buyer's history counts their orders, products and categories", func(t *testing.T) {
		h, err := store.ReadHistory(ctx, "user-ana")
		require.NoError(t, err)
		assert.Equal(t, 2, h.Orders)
		assert.Equal(t, 1, h.Products["prd-pipoca"])
		assert.Equal(t, 1, h.Categories[catalog.CategoryCombo])
	})
	t.Run("a buyer with no orders has an empty history", func(t *testing.T) {
		h, err := store.ReadHistory(ctx, "user-nobody")
		require.NoError(t, err)
		assert.Zero(t, h.Orders)
	})
}
