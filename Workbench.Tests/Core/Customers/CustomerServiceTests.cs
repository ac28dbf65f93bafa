using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Customers;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Customers;

public sealed class CustomerServiceTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        await QualityFixture.LoadAsync(_store, plant: false);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private CustomerService Customers => _store.Services.GetRequiredService<CustomerService>();

    private async Task<List<string>> IdsAsync(CustomerListQuery query) =>
        (await Customers.ListAsync(query, default)).Items.Select(i => i.CustomerId).ToList();

    [Fact]
    public async Task ListAsync_StatsColumns_FollowTheKpiDefinitions()
    {
        var q1 = (await Customers.ListAsync(new CustomerListQuery(Search: "Q1"), default)).Items.Single();

        // Q1 (QualityFixture): O1 = 2 × 3.50 + 1 × 499.00 − 50 = 456.00 gross; O6 returns 1 × 3.50; net 452.50; one order.
        Assert.Equal(1, q1.Orders);
        Assert.Equal(452.50, q1.NetRevenue, 9);
        Assert.Equal(new DateTime(2026, 10, 1, 10, 0, 0), q1.LastPurchaseAt);
        Assert.Equal("granted", q1.Consents["email"]);
        Assert.Equal("denied", q1.Consents["sms"]);
        Assert.Equal("unknown", q1.Consents["push"]);
    }

    [Fact]
    public async Task ListAsync_StatsAgreeWithTheProfileKpis()
    {
        foreach (var item in (await Customers.ListAsync(new CustomerListQuery(), default)).Items)
        {
            var kpis = (await Customers.ProfileAsync(item.CustomerId, default))!.Kpis;
            Assert.Equal((kpis.Orders, Math.Round(kpis.NetRevenue, 6), kpis.LastPurchaseAt), (item.Orders, Math.Round(item.NetRevenue, 6), item.LastPurchaseAt));
        }
    }

    [Theory]
    [InlineData("q3", new[] { "Q3" })]                  // id, any case
    [InlineData("ann", new[] { "Q1", "Q2", "Q3" })]     // first name and email prefix
    [InlineData("Ann Lee", new[] { "Q1", "Q2", "Q3" })] // first and last name
    [InlineData("kay", new[] { "Q4" })]                 // last name
    [InlineData("cy@", new[] { "Q5" })]                 // email
    [InlineData("07700 900001", new[] { "Q1", "Q3" })]  // national phone matches the stored international +447700900001 too
    [InlineData("nobody", new string[0])]
    public async Task ListAsync_Search_MatchesIdNameEmailOrPhone(string search, string[] expected) =>
        Assert.Equal(expected, await IdsAsync(new CustomerListQuery(Search: search, SeesContactDetails: true)));

    [Fact]
    public async Task ListAsync_Filters_Combine()
    {
        Assert.Equal(["Q4", "Q6"], await IdsAsync(new CustomerListQuery(Region: "Wales")));
        Assert.Equal(["Q6"], await IdsAsync(new CustomerListQuery(Region: "Wales", Tier: "Gold")));
        Assert.Equal(["Q4"], await IdsAsync(new CustomerListQuery(ConsentChannel: "email", ConsentStatus: "denied")));
        Assert.Equal(["Q5"], await IdsAsync(new CustomerListQuery(ConsentChannel: "email", ConsentStatus: "unknown")));
        Assert.Equal(["Q3", "Q4"], await IdsAsync(new CustomerListQuery(LastPurchaseFrom: new(2026, 10, 3), LastPurchaseTo: new(2026, 10, 4))));
    }

    [Fact]
    public async Task ListAsync_SortAndPage_HappenInSql()
    {
        var page = await Customers.ListAsync(new CustomerListQuery(Sort: CustomerSort.Revenue, Descending: true, Skip: 1, Take: 2), default);

        // Net revenue: Q1 452.50, then Q2–Q5 3.50 each (ties by id), Q6 0.
        Assert.Equal(6, page.Total);
        Assert.Equal(["Q2", "Q3"], page.Items.Select(i => i.CustomerId));
    }

    [Fact]
    public async Task StreamAsync_YieldsTheWholeFilteredListWithConsents()
    {
        var rows = new List<CustomerListItem>();
        await foreach (var row in Customers.StreamAsync(new CustomerListQuery(Region: "Wales"), default)) rows.Add(row);

        Assert.Equal(["Q4", "Q6"], rows.Select(r => r.CustomerId));
        Assert.Equal("denied", rows[0].Consents["email"]);
    }

    [Fact]
    public async Task ProfileAsync_ShowsSuspectAndMissingData()
    {
        var q4 = (await Customers.ProfileAsync("Q4", default))!;
        var q2 = (await Customers.ProfileAsync("Q2", default))!;
        var q5 = (await Customers.ProfileAsync("Q5", default))!;

        Assert.Equal(("suspect", "email fails validation"), Field(q4, "email"));
        Assert.Equal(("suspect", "phone fails validation"), Field(q4, "phone"));
        Assert.Equal(("missing", "not provided"), Field(q4, "birth_date"));
        Assert.Contains(q2.Issues, i => i.Message == "possible duplicate of Q1 (same email)" && i.RelatedCustomerId == "Q1");
        Assert.Contains((await Customers.ProfileAsync("Q3", default))!.Issues, i => i.Message == "possible duplicate of Q1 (same phone)");
        Assert.Contains(q5.Issues, i => i.Kind == "no-consent");
        Assert.Equal(("suspect", "date in the future"), Field(q5, "birth_date"));
        Assert.Equal("customers.csv", q4.Source!.FileName);
    }

    [Fact]
    public async Task ProfileAsync_UnknownId_IsNull() => Assert.Null(await Customers.ProfileAsync("NOPE", default));

    private static (string, string?) Field(CustomerProfile profile, string name) =>
        profile.Fields.Single(f => f.Name == name) is var f ? (f.Status, f.Note) : default;

    [Fact]
    public async Task ListAsync_FilteredCountAboveTheCap_SaysSo()
    {
        var rows = string.Join("\n", Enumerable.Range(1, CustomerService.CountCap + 5).Select(i => $"Z{i:D6},Wales"));
        Assert.True((await _store.ImportAsync(Workbench.Core.Import.ImportKind.Customers, "customer_id,region\n" + rows)).Succeeded);

        var filtered = await Customers.ListAsync(new CustomerListQuery(Region: "Wales"), default);
        var all = await Customers.ListAsync(new CustomerListQuery(), default);

        // Q4, Q6 and the 10,005 new customers are in Wales: more than the cap.
        Assert.Equal((CustomerService.CountCap, true), (filtered.Total, filtered.Capped));
        Assert.Equal((CustomerService.CountCap + 5 + 6L, false), (all.Total, all.Capped));
    }

    [Fact]
    public async Task ProfileAsync_PhoneWrittenWithSeparators_IsStillADuplicate()
    {
        await _store.RowsAsync("UPDATE customers SET phone = '(07700) 90-00-01' WHERE customer_id = 'Q3'");

        var q1 = (await Customers.ProfileAsync("Q1", default))!;

        Assert.Contains(q1.Issues, i => i.Message == "possible duplicate of Q3 (same phone)");
    }
}
