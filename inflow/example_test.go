package inflow_test

import (
	"context"
	"fmt"
	"log"

	"github.com/google/uuid"

	"github.com/etl-dev/etl/inflow"
	"github.com/etl-dev/etl/inflow/sandbox"
)

func Example() {
	// A local emulator stands in for https://cloudapi.inflowinventory.com.
	sb, err := sandbox.Start(sandbox.Options{RatePerMinute: -1})
	if err != nil {
		log.Fatal(err)
	}
	defer sb.Close()

	// In production the account comes from inflow.Connect (INFLOW_API_KEY,
	// INFLOW_COMPANY_ID, INFLOW_BASE_URL, INFLOW_RATE_PER_MINUTE).
	c, err := inflow.New(inflow.Config{BaseURL: sb.URL(), CompanyID: sb.CompanyID(), APIKey: sb.APIKey(), RatePerMinute: 6000})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// Upsert: the caller chooses the GUID; only the fields set are sent.
	p, err := c.Products().Put(ctx, &inflow.Product{
		ProductID: uuid.NewString(),
		Name:      new("Example widget"),
		ItemType:  new(inflow.StockedProduct),
		Prices:    nil, // left as they are
	})
	if err != nil {
		log.Fatal(err)
	}

	// List: 100 per request, keyset paging, filters and includes.
	for prod, err := range c.Products().List(ctx, &inflow.ListOptions{
		Filters: map[string]any{"name": "Example widget", "isActive": true},
		Include: []string{"inventoryLines"},
	}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(*prod.Name, prod.ProductID == p.ProductID)
	}

	// Summaries: any number of pairs, 100 per request.
	sums, err := c.ProductSummaries(ctx, []inflow.SummaryRequest{{ProductID: p.ProductID}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("on hand:", sums[0].QuantityOnHand)
	// Output:
	// Example widget true
	// on hand: 0
}
