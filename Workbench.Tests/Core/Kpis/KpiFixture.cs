using Workbench.Core.Import;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Kpis;

// A small retailer whose KPIs are worked out by hand in KpiServiceTests. Today is 2026-06-15.
//   A North/Gold, B South/Silver, C North/no tier, D South/Gold (never buys).
//   P1 price 10, cost 4; P2 price 50, no cost.
//   line amounts (quantity × unit_price − discount) and margins (amount − quantity × cost, P1 only):
//   2025-05-20 O8 B store P1 ×1 = 10 (margin 6)
//   2026-01-10 O1 A store P1 ×2 = 20 (margin 12) and P2 ×1 − 5 = 45
//   2026-03-05 O2 A web   P1 ×1 = 10 (margin 6)
//   2026-03-20 O3 B web   P2 ×2 = 100;   2026-03-25 O4 B web P2 ×−1 = return of 50 (an order of returns only)
//   2026-04-02 O5 C app   P1 ×3 = 30 (margin 18)
//   2026-05-15 O7 B web   P2 ×−1 = return of 50 (return only);   2026-05-31 O6 A store P1 ×1 = 10 (margin 6)
public static class KpiFixture
{
    public static readonly DateTimeOffset Today = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);

    public const string Customers = """
        customer_id,first_name,region,loyalty_tier
        A,Ann,North,Gold
        B,Ben,South,Silver
        C,Cat,North,
        D,Dan,South,Gold
        """;

    public const string Products = """
        sku,name,category,price,unit_cost
        P1,Tea,Grocery,10,4
        P2,Lamp,Home,50,
        """;

    public const string Transactions = """
        order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price,discount,channel
        O8,1,B,2025-05-20T10:00:00Z,P1,1,10,0,store
        O1,1,A,2026-01-10T10:00:00Z,P1,2,10,0,store
        O1,2,A,2026-01-10T10:00:00Z,P2,1,50,5,store
        O2,1,A,2026-03-05T10:00:00Z,P1,1,10,0,web
        O3,1,B,2026-03-20T10:00:00Z,P2,2,50,0,web
        O4,1,B,2026-03-25T10:00:00Z,P2,-1,50,0,web
        O5,1,C,2026-04-02T10:00:00Z,P1,3,10,0,app
        O7,1,B,2026-05-15T10:00:00Z,P2,-1,50,0,web
        O6,1,A,2026-05-31T23:00:00Z,P1,1,10,0,store
        """;

    public static async Task<TestStore> CreateAsync()
    {
        var store = await TestStore.CreateAsync(new FixedClock(Today));
        await LoadAsync(store);
        return store;
    }

    public static async Task LoadAsync(TestStore store)
    {
        await store.ImportAsync(ImportKind.Customers, Customers);
        await store.ImportAsync(ImportKind.Products, Products);
        await store.ImportAsync(ImportKind.Transactions, Transactions);
        // P(alive) set by hand (the feature job's own values depend on its fit): churned = below 0.5, so B and C.
        await store.RowsAsync("""
            UPDATE customer_features SET probability_alive = CASE customer_id WHEN 'A' THEN 0.9 WHEN 'B' THEN 0.3 WHEN 'C' THEN 0.45 END
            """);
    }

    // A saved segment "Northerners" (id 7) whose current members are A and C.
    public static async Task AddSegmentAsync(TestStore store)
    {
        await store.RowsAsync("""
            INSERT INTO segments (id, name, description, owner, rule_json, version, created_at, updated_at, updated_by)
            VALUES (7, 'Northerners', '', 'test', '{"op":"and","conditions":[]}', 1, '2026-06-01 00:00:00', '2026-06-01 00:00:00', 'test');
            INSERT INTO segment_members (segment_id, customer_id) VALUES (7, 'A'), (7, 'C');
            """);
    }
}
