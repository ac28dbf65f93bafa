using Microsoft.Extensions.DependencyInjection;
using Workbench.Core.Customers;
using Workbench.Core.Import;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Core.Customers;

// What a search reveals to a role that sees contact details masked (Viewer): ids and names (shown in full) match by
// prefix, an email only as the whole address, a phone never; LIKE wildcards are literal for every role.
public sealed class CustomerSearchMaskingTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        await QualityFixture.LoadAsync(_store, plant: false);
        await _store.ImportAsync(ImportKind.Customers, """
            customer_id,first_name,last_name,email
            U_1,Una,Under,una@example.com
            UA1,Uma,Upper,uma@example.com
            """);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private CustomerService Customers => _store.Services.GetRequiredService<CustomerService>();

    private async Task<List<string>> IdsAsync(string search, bool seesContacts) =>
        (await Customers.ListAsync(new CustomerListQuery(Search: search, SeesContactDetails: seesContacts), default))
            .Items.Select(i => i.CustomerId).ToList();

    // Q1 (QualityFixture) has phone +447700900001 and email ann@example.com; the probes are what 155 requests used to
    // recover a whole number: growing prefixes of the phone in each spelling, and of the address past its first letters.
    public static TheoryData<string> ContactProbes => new()
    {
        "+4477", "+447700", "+4477009000", "+447700900001", "447700900", "07700", "07700 900001",
        "ann@", "ann@e", "ann@example", "ann@example.co", "ann.", "ann.lee@",
    };

    [Theory]
    [MemberData(nameof(ContactProbes))]
    public async Task ListAsync_ViewerProbesAContactField_LearnsNothing(string probe)
    {
        Assert.Empty(await IdsAsync(probe, seesContacts: false));
        // The same probe does find customers for a role that sees the details, so the probe is a real one.
        Assert.NotEmpty(await IdsAsync(probe, seesContacts: true));
    }

    [Fact]
    public async Task ListAsync_ViewerTypesAWholeEmail_FindsItInAnyCase()
    {
        Assert.Equal(["Q1", "Q2"], await IdsAsync("ANN@example.com", seesContacts: false));
        Assert.Equal(["Q3"], await IdsAsync("ann.lee@example.net", seesContacts: false));
    }

    [Theory]
    [InlineData("ann", new[] { "Q1", "Q2", "Q3" })]  // first name, shown in full
    [InlineData("Ann Lee", new[] { "Q1", "Q2", "Q3" })]
    [InlineData("q4", new[] { "Q4" })]               // id
    public async Task ListAsync_ViewerSearchesIdsAndNames_ByPrefix(string search, string[] expected) =>
        Assert.Equal(expected, await IdsAsync(search, seesContacts: false));

    [Theory]
    [InlineData("%")]
    [InlineData("_")]
    [InlineData("%@%")]
    [InlineData("\\")]
    [InlineData("Q%")]
    [InlineData("_nn")]
    public async Task ListAsync_Wildcards_MatchOnlyThemselves(string search)
    {
        Assert.Empty(await IdsAsync(search, seesContacts: true));
        Assert.Empty(await IdsAsync(search, seesContacts: false));
    }

    [Fact]
    public async Task ListAsync_Underscore_IsALiteral()
    {
        // Unescaped, "U_" would match UA1 as well.
        Assert.Equal(["U_1"], await IdsAsync("U_", seesContacts: true));
        Assert.Equal(["U_1"], await IdsAsync("U_", seesContacts: false));
    }

    [Fact]
    public async Task ListAsync_ViewerSortsByEmail_IsRefused()
    {
        var query = new CustomerListQuery(Sort: CustomerSort.Email);
        Assert.Contains("masked", CustomerService.Refusal(query));
        await Assert.ThrowsAsync<ArgumentException>(() => Customers.ListAsync(query, default));
        Assert.Null(CustomerService.Refusal(query with { SeesContactDetails = true }));
        Assert.Equal(8, (await Customers.ListAsync(query with { SeesContactDetails = true }, default)).Total);
    }
}
