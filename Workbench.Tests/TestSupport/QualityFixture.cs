using Workbench.Core.Import;

namespace Workbench.Tests.TestSupport;

// A small store with exactly one planted problem per quality rule (listed with each rule in QualityServiceTests).
public static class QualityFixture
{
    public const string Customers = """
        customer_id,first_name,last_name,email,phone,birth_date,signup_date,country,region,loyalty_tier
        Q1,Ann,Lee,ann@example.com,+447700900001,1980-01-01,2020-01-01,GB,North West,Gold
        Q2,Ann,Lee,Ann@Example.COM,+447700900002,1980-01-01,2024-05-01,GB,London,Silver
        Q3,Ann,Lee,ann.lee@example.net,07700 900001,1980-01-01,2024-06-01,GB,London,
        Q4,Bo,Kay,bo at example.com,12ab,,2021-01-01,GB,Wales,Bronze
        Q5,Cy,Day,cy@example.com,,2999-01-01,2021-01-01,IE,Leinster,
        Q6,Di,Eve,di@example.com,,,2021-01-01,GB,Wales,Gold
        """;

    public const string Products = """
        sku,name,category,price,unit_cost
        P1,Green tea,Grocery,3.50,1.20
        P2,Sofa,Furniture,499.00,
        """;

    public const string Transactions = """
        order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price,discount,channel
        O1,1,Q1,2026-10-01T10:00:00,P1,2,3.50,0,store
        O1,2,Q1,2026-10-01T10:00:00,P2,1,499.00,50,store
        O2,1,Q2,2026-10-02T10:00:00,P1,1,3.50,0,web
        O3,1,Q3,2026-10-03T10:00:00,P1,1,3.50,0,app
        O4,1,Q4,2026-10-04T10:00:00,P1,1,3.50,0,web
        O5,1,Q5,2026-10-05T10:00:00,P1,1,3.50,0,web
        O6,1,Q1,2026-10-20T10:00:00,P1,-1,3.50,0,store
        """;

    public const string Events = """
        event_id,customer_id,occurred_at,type,sku,category,channel
        E1,Q1,2026-10-01T09:00:00,product_view,P1,Grocery,web
        """;

    public const string Consents = """
        customer_id,channel,status,updated_at,source
        Q1,email,granted,2026-01-01T00:00:00,signup_form
        Q1,sms,denied,2026-01-01T00:00:00,store
        Q2,email,granted,2026-01-01T00:00:00,signup_form
        Q3,email,granted,2026-01-01T00:00:00,signup_form
        Q4,email,denied,2026-01-01T00:00:00,signup_form
        Q6,email,granted,2026-01-01T00:00:00,signup_form
        """;

    // Problems the importer refuses are planted straight into the store, as an older tool or a bad migration would.
    public const string PlantSql = """
        UPDATE products SET price = -1 WHERE sku = 'P2';
        INSERT INTO order_lines (order_id, line_no, customer_id, ordered_at, sku, quantity, unit_price, discount, import_id, created_import_id, revision, seen_import_id)
        VALUES ('OX', 1, 'GHOST', '2026-10-01 10:00:00', 'P1', 1, 3.5, 0, 0, 0, 0, 0),
               ('OY', 1, 'Q1', '2026-10-01 10:00:00', 'NOPE', 1, 3.5, 0, 0, 0, 0, 0),
               ('OZ', 1, 'Q1', '2999-01-01 10:00:00', 'P1', 1, -2, 0, 0, 0, 0, 0);
        INSERT INTO events (event_key, event_id, customer_id, occurred_at, type, import_id, created_import_id, revision, seen_import_id)
        VALUES ('id:EGHOST', 'EGHOST', 'GHOST', '2026-10-01 10:00:00', 'page_view', 0, 0, 0, 0),
               ('id:EFUTURE', 'EFUTURE', 'Q1', '2999-01-01 10:00:00', 'page_view', 0, 0, 0, 0);
        INSERT INTO consents (customer_id, channel, status, updated_at, source, import_id, created_import_id, revision, seen_import_id)
        VALUES ('GHOST', 'email', 'granted', '2026-01-01 00:00:00', 'store', 0, 0, 0, 0);
        UPDATE consents SET updated_at = '2999-01-01 00:00:00' WHERE customer_id = 'Q6';
        """;

    public static async Task LoadAsync(TestStore store, bool plant = true)
    {
        foreach (var (kind, csv) in new[]
                 {
                     (ImportKind.Customers, Customers), (ImportKind.Products, Products), (ImportKind.Transactions, Transactions),
                     (ImportKind.Events, Events), (ImportKind.Consents, Consents),
                 })
        {
            var result = await store.ImportAsync(kind, csv);
            Assert.True(result.Succeeded, string.Join("; ", result.Problems));
        }
        if (plant) await store.RowsAsync(PlantSql);
    }
}
