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
    private const string Email = "ljohnson1@post.example.net";
    private const string Phone = "+447528841845";

    [Fact]
    public async Task Profile_AsViewer_ShowsContactDetailsMasked_AndIsAudited()
    {
        var page = await app.OpenAsAsync("/customers/C0000001", Roles.Viewer);

        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("l***@post.example.net");
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

        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("l***@post.example.net");
        Assert.DoesNotContain(Email, await page.ContentAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Api_AsViewer_MasksTheProfileAndTheExport_AndRecordsTheAccess()
    {
        using var viewer = await app.ApiClientAsync(Roles.Viewer);
        using var analyst = await app.ApiClientAsync(Roles.Analyst);

        // C0000003, natalie3@post.example.net (C0000002 is the one the privacy journey erases).
        var masked = await viewer.GetStringAsync("/api/customers/C0000003");
        var whole = await analyst.GetStringAsync("/api/customers/C0000003");
        var export = await viewer.GetStringAsync("/api/customers/export.csv?search=C000000");

        Assert.Contains("n***@post.example.net", masked);
        Assert.DoesNotContain("natalie3@post.example.net", masked);
        Assert.Contains("natalie3@post.example.net", whole);
        Assert.Contains("l***@post.example.net", export);
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
                null, "North West (privacy journey)", "", """{"op":"and","conditions":[{"field":"region","operator":"eq","value":"North West"}]}""", 0),
                "test-setup")).Id!.Value);
        using var viewer = await app.ApiClientAsync(Roles.Viewer);
        using var marketer = await app.ApiClientAsync(Roles.Marketer);

        var masked = await viewer.GetStringAsync($"/api/segments/{id}/members.csv");
        var whole = await marketer.GetStringAsync($"/api/segments/{id}/members.csv");

        Assert.Contains("l***@post.example.net", masked);
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
