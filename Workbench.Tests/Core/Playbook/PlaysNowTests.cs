using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Import;
using Workbench.Core.Playbook;
using Workbench.Tests.TestSupport;
using static Workbench.Tests.Core.Playbook.PlaybookFixture;

namespace Workbench.Tests.Core.Playbook;

public sealed class PlaysNowTests
{
    private static PlaysNowResult Run(params Play[] plays)
    {
        var customer = Prepare(Customer(), Now);
        var verdicts = PlaysNow.Evaluate(plays, customer, London);
        return PlaysNow.Render(verdicts, customer, TemplateVariables.Customer(customer), null);
    }

    [Fact]
    public void Render_ActivePlaysOnly_EligibleWithTheirEligibleChannelsRendered_BlockedWithTheirFirstReason()
    {
        // The fixture customer: email granted, sms denied, last purchase 23 days before Now.
        var open = Play("p1");                                                           // fires every hour: email yes, sms no (consent)
        var lapse = Play("p2") with { Priority = 90, Trigger = new LifecycleTrigger(LifecycleMoment.DaysSinceLastPurchase, 120) };
        var draft = Play("p3") with { Status = PlayStatus.Draft };

        var result = Run(open, lapse, draft);

        Assert.Equal(2, result.ActivePlays);
        var eligible = Assert.Single(result.Eligible);
        Assert.Equal("p1", eligible.PlayId);
        var email = Assert.Single(eligible.Channels);
        Assert.Equal(("email", "Hi Ada", "<p>Hello Ada</p>"), (email.Channel, email.Message!.Subject, email.Message.Html));
        Assert.True(email.Verdict.Eligible);

        var blocked = Assert.Single(result.Blocked);
        Assert.Equal("p2", blocked.PlayId);
        // email got past its consent to the trigger; sms stopped at its consent: the trigger is the play's reason.
        Assert.Equal(("email", ReasonKind.Trigger), (blocked.Channel, blocked.FirstBlocking.Kind));
        Assert.Equal([ReasonKind.Trigger, ReasonKind.Consent], blocked.Verdicts.Select(v => v.FirstBlocking!.Kind));
        Assert.Contains("23", blocked.FirstBlocking.CustomerValue);
    }

    [Fact]
    public void Render_OrdersByPriorityThenId_AndNeedsTheCatalogOnlyForAnEligibleSlot()
    {
        var slot = new RecommendationSlot(RecommendationRule.TopCategoryBestSellers, 2);
        var low = Play("b") with { Priority = 10 };
        var high = Play("c") with { Priority = 80 };
        var tie = Play("a") with { Priority = 10 };
        var blockedWithSlot = Play("d") with { Recommendations = slot, Trigger = new LifecycleTrigger(LifecycleMoment.Birthday, 0) };
        var customer = Prepare(Customer(), Now);

        var verdicts = PlaysNow.Evaluate([low, high, tie, blockedWithSlot], customer, London);
        Assert.False(PlaysNow.NeedsCatalog(verdicts));
        Assert.True(PlaysNow.NeedsCatalog(PlaysNow.Evaluate([low with { Recommendations = slot }], customer, London)));

        var result = PlaysNow.Render(verdicts, customer, TemplateVariables.Customer(customer), null);
        Assert.Equal(["c", "a", "b"], result.Eligible.Select(p => p.PlayId));
        Assert.Equal("d", Assert.Single(result.Blocked).PlayId);
    }

    // On a real store: the basket model behind bought-together is read once and kept until the next import.
    // Orders (by hand): O1 {A, B}, O2 {A}, N = 2; the customer's last order O3 {A} comes later.
    [Fact]
    public async Task PlaysNowAsync_BoughtTogether_FromTheStore_KeptUntilTheNextImport()
    {
        await using var store = await TestStore.CreateAsync();
        await store.ImportAsync(ImportKind.Customers, "customer_id,first_name\nC1,Ada\nC2,Bo\nC3,Cy\n");
        await store.ImportAsync(ImportKind.Products, "sku,name,category,price\nA,Apple,Fruit,1\nB,Banana,Fruit,2\nC,Cherry,Fruit,3\n");
        await store.ImportAsync(ImportKind.Consents, "customer_id,channel,status,updated_at\nC1,email,granted,2025-01-01T00:00:00\n");
        await store.ImportAsync(ImportKind.Transactions, "order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price\n"
            + "O1,1,C2,2026-10-01T10:00:00,A,1,1\nO1,2,C2,2026-10-01T10:00:00,B,1,2\nO2,1,C3,2026-10-02T10:00:00,A,1,1\n"
            + "O3,1,C1,2026-11-20T10:00:00,A,1,1\n");
        var service = store.Services.GetRequiredService<PlaybookPreviewService>();
        var play = Play("together") with
        {
            Channels = ["email"],
            Recommendations = new RecommendationSlot(RecommendationRule.BoughtTogether, 3),
        };

        var first = (await service.PlaysNowAsync([play], "C1", Now, default)).Result!;
        var rec = Assert.Single(Assert.Single(first.Eligible).Recommendations);
        // Orders now O1 {A,B}, O2 {A}, O3 {A}: N = 3, n(A) = 3, n(B) = 1, n(AB) = 1.
        // support = 1/3, confidence = n(AB)/n(A) = 1/3, lift = (1/3) / (n(B)/N = 1/3) = 1.
        Assert.Equal("B", rec.Sku);
        Assert.Equal(1.0 / 3, rec.Support!.Value, 9);
        Assert.Equal(1.0 / 3, rec.Confidence!.Value, 9);
        Assert.Equal(1.0, rec.Lift!.Value, 9);

        await store.RowsAsync("INSERT INTO order_lines (order_id, line_no, customer_id, ordered_at, sku, quantity, unit_price, discount, import_id, created_import_id, revision, seen_import_id) "
            + "VALUES ('O9', 1, 'C3', '2026-10-05 10:00:00', 'A', 1, 1, 0, 0, 0, 0, 0), ('O9', 2, 'C3', '2026-10-05 10:00:00', 'C', 1, 3, 0, 0, 0, 0, 0)");
        var kept = (await service.PlaysNowAsync([play], "C1", Now, default)).Result!;
        Assert.Equal(["B"], Assert.Single(kept.Eligible).Recommendations.Select(r => r.Sku));

        await store.ImportAsync(ImportKind.Transactions, "order_id,line_no,customer_id,ordered_at,sku,quantity,unit_price\nO10,1,C2,2026-10-06T10:00:00,B,1,2\n");
        var rebuilt = (await service.PlaysNowAsync([play], "C1", Now, default)).Result!;
        Assert.Equal(["B", "C"], Assert.Single(rebuilt.Eligible).Recommendations.Select(r => r.Sku).Order());

        Assert.Equal("customer 'nobody' not found", (await service.PlaysNowAsync([play], "nobody", Now, default)).Problem);
    }
}
