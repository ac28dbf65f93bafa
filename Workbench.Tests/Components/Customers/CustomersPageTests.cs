using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Workbench.Core.Customers;
using Workbench.Features.Customers;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Components.Customers;

public sealed class CustomersPageTests : BunitContext, IAsyncLifetime
{
    private TestStore _store = null!;
    private Bunit.TestDoubles.BunitAuthorizationContext _auth = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        await QualityFixture.LoadAsync(_store, plant: false);
        Services.AddMudServices();
        Services.AddSingleton(_store.Services.GetRequiredService<CustomerService>());
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddSingleton(_store.Services.GetRequiredService<Workbench.Core.Audit.AuditService>());
        Services.AddScoped<Workbench.Security.CurrentUser>();
        _auth = AddAuthorization();
        _auth.SetAuthorized("ana").SetRoles(Workbench.Core.Users.Roles.Analyst);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _store.DisposeAsync();
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
