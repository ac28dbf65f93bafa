using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Workbench.Core.Customers;
using Workbench.Features.Customers;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Components.Customers;

public sealed class CustomersPageTests : StorePageContext
{
    protected override async Task ArrangeAsync(TestStore store)
    {
        await QualityFixture.LoadAsync(store, plant: false);
        Use<CustomerService>();
    }

    [Fact]
    public void List_ShowsAPageWithConsentsAndTheExportLink()
    {
        Render<MudPopoverProvider>();
        var page = Render<CustomersPage>();

        page.WaitForAssertion(() => Assert.Equal("6 customers", page.Find("#customer-total").TextContent), TimeSpan.FromSeconds(10));
        Assert.Equal("customers/Q1", page.Find("tbody tr a").GetAttribute("href"));
        var q1Email = page.Find("tbody tr .consent[data-channel=email]");
        Assert.Equal("granted", q1Email.GetAttribute("data-status"));
        Assert.Equal("api/customers/export.csv?", page.Find("#export-customers").GetAttribute("href"));
    }

    [Fact]
    public void Search_ReloadsTheGridAndTheExportLinkCarriesTheFilter()
    {
        var page = Render<CustomersPage>();
        page.WaitForAssertion(() => Assert.Equal("6 customers", page.Find("#customer-total").TextContent), TimeSpan.FromSeconds(10));

        page.Find("#customer-search").Input("kay");

        page.WaitForAssertion(() => Assert.Equal("1 customers", page.Find("#customer-total").TextContent), TimeSpan.FromSeconds(10));
        Assert.Equal("api/customers/export.csv?search=kay", page.Find("#export-customers").GetAttribute("href"));
    }
}
