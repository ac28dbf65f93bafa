using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Microsoft.Extensions.Configuration;
using Workbench.Core.Customers;
using Workbench.Security;
using Workbench.Features.Customers;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Components.Customers;

public sealed class CustomersPageTests : StorePageContext
{
    protected override async Task ArrangeAsync(TestStore store)
    {
        await QualityFixture.LoadAsync(store, plant: false);
        Use<CustomerService>();
        Services.AddSingleton(new CustomerSearchLimiter(new ConfigurationBuilder().Build()));
    }

    [Fact]
    public async Task List_ShowsAPageWithConsentsAndTheExportLink()
    {
        Render<MudPopoverProvider>();
        var page = Render<CustomersPage>();

        page.WaitForAssertion(() => Assert.Equal("6 customers", page.Find("#customer-total").TextContent), TimeSpan.FromSeconds(30));
        Assert.Equal("customers/Q1", page.Find("tbody tr a").GetAttribute("href"));
        var q1Email = page.Find("tbody tr .consent[data-channel=email]");
        Assert.Equal("granted", q1Email.GetAttribute("data-status"));
        Assert.Equal("api/customers/export.csv?", page.Find("#export-customers").GetAttribute("href"));
    }

    [Fact]
    public async Task Search_ReloadsTheGridAndTheExportLinkCarriesTheFilter()
    {
        var page = Render<CustomersPage>();
        page.WaitForAssertion(() => Assert.Equal("6 customers", page.Find("#customer-total").TextContent), TimeSpan.FromSeconds(30));

        await page.InvokeAsync(() => page.Find("#customer-search").Input("kay"));

        page.WaitForAssertion(() => Assert.Equal("1 customers", page.Find("#customer-total").TextContent), TimeSpan.FromSeconds(30));
        Assert.Equal("api/customers/export.csv?search=kay", page.Find("#export-customers").GetAttribute("href"));
    }
}

public sealed class CustomersPageViewerTests : StorePageContext
{
    protected override async Task ArrangeAsync(TestStore store)
    {
        await QualityFixture.LoadAsync(store, plant: false);
        Use<CustomerService>();
        // One search a minute, so the second is refused.
        Services.AddSingleton(new CustomerSearchLimiter(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Workbench:Customers:SearchesPerMinute"] = "1" }).Build()));
    }

    [Fact]
    public async Task Viewer_SearchesByNameNotPhone_EmailNotSortable_AndIsRateLimited()
    {
        SignInAs("vic", Workbench.Core.Users.Roles.Viewer);
        var page = Render<CustomersPage>();
        page.WaitForAssertion(() => Assert.Equal("6 customers", page.Find("#customer-total").TextContent), TimeSpan.FromSeconds(30));
        Assert.Equal("customer id, name or a whole email address", page.Find("#customer-search").GetAttribute("placeholder"));
        var emailHeader = page.FindAll("th").Single(th => th.TextContent.Contains("Email"));
        Assert.Empty(emailHeader.QuerySelectorAll(".sort-direction-icon, .mud-sort-direction-icon, button"));

        await page.InvokeAsync(() => page.Find("#customer-search").Input("+447700"));
        page.WaitForAssertion(() => Assert.Equal("0 customers", page.Find("#customer-total").TextContent), TimeSpan.FromSeconds(30));

        await page.InvokeAsync(() => page.Find("#customer-search").Input("ann"));
        page.WaitForAssertion(() => Assert.Contains("Too many searches: at most 1 a minute", page.Find("#customer-search-notice").TextContent),
            TimeSpan.FromSeconds(30));
    }
}
