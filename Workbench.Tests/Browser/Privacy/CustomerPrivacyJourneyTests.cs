using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Workbench.Core.Audit;
using Workbench.Core.Users;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Browser.Privacy;

// The customer pages and their API inside the roles: a Viewer sees contact details masked everywhere they appear,
// other roles see them whole, and every profile opened is recorded as personal data access.
[Collection(AppCollection.Name)]
public sealed class CustomerPrivacyJourneyTests(AppFixture app)
{
    // sample-data/customers.csv, first row.
    private const string Email = "davis.kieran1@example.com";
    private const string Phone = "+447528841845";

    [Fact]
    public async Task Profile_AsViewer_ShowsContactDetailsMasked_AndIsAudited()
    {
        var page = await app.OpenAsAsync("/customers/C0000001", Roles.Viewer);

        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("d***@example.com");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("+44 *** *** 845");
        Assert.DoesNotContain(Email, await page.ContentAsync());
        Assert.DoesNotContain(Phone, await page.ContentAsync());
        await AppFixture.ScreenshotAsync(page, "customer-profile-viewer");
        await page.Context.CloseAsync();

        var audited = await AuditedViewsAsync("test-viewer");
        Assert.Contains(audited, a => a.EntityId == "C0000001" && a.Action == AuditActions.View);
    }

    [Fact]
    public async Task Profile_AsMarketer_ShowsContactDetailsWhole()
    {
        var page = await app.OpenAsAsync("/customers/C0000001", Roles.Marketer);

        await Assertions.Expect(page.Locator("body")).ToContainTextAsync(Email);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task List_AsViewer_MasksEmails()
    {
        var page = await app.OpenAsAsync("/customers", Roles.Viewer);

        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("d***@example.com");
        Assert.DoesNotContain(Email, await page.ContentAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Api_AsViewer_MasksTheProfileAndTheExport_AndRecordsTheAccess()
    {
        using var viewer = await app.ApiClientAsync(Roles.Viewer);
        using var analyst = await app.ApiClientAsync(Roles.Analyst);

        // C0000003, christine.jackson3@example.org (C0000002 is the one the privacy journey erases).
        var masked = await viewer.GetStringAsync("/api/customers/C0000003");
        var whole = await analyst.GetStringAsync("/api/customers/C0000003");
        var export = await viewer.GetStringAsync("/api/customers/export.csv?search=C000000");

        Assert.Contains("c***@example.org", masked);
        Assert.DoesNotContain("christine.jackson3@example.org", masked);
        Assert.Contains("christine.jackson3@example.org", whole);
        Assert.Contains("d***@example.com", export);
        Assert.DoesNotContain(Email, export);
        Assert.Contains(await AuditedViewsAsync("test-viewer"), a => a.EntityId == "C0000003");

        using var anonymous = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/customers/C0000003")).StatusCode);
    }

    [Fact]
    public async Task SegmentMembersCsv_AsViewer_MasksEmails()
    {
        long id = 0;
        await app.WithStoreAsync(async services =>
            id = (await services.GetRequiredService<Workbench.Core.Segments.SegmentService>().SaveAsync(new Workbench.Core.Segments.SegmentDraft(
                null, "Yorkshire (privacy journey)", "", """{"op":"and","conditions":[{"field":"region","operator":"eq","value":"Yorkshire and the Humber"}]}""", 0),
                "test-setup")).Id!.Value);
        using var viewer = await app.ApiClientAsync(Roles.Viewer);
        using var marketer = await app.ApiClientAsync(Roles.Marketer);

        var masked = await viewer.GetStringAsync($"/api/segments/{id}/members.csv");
        var whole = await marketer.GetStringAsync($"/api/segments/{id}/members.csv");

        // C0000001 (Leeds) is a member.
        Assert.Contains("d***@example.com", masked);
        Assert.DoesNotContain(Email, masked);
        Assert.Contains(Email, whole);
    }

    private async Task<IReadOnlyList<AuditItem>> AuditedViewsAsync(string userName)
    {
        IReadOnlyList<AuditItem> items = [];
        await app.WithStoreAsync(async services =>
            items = (await services.GetRequiredService<AuditService>().QueryAsync(new AuditFilter(UserName: userName), 0, 100)).Items);
        return items;
    }
}
