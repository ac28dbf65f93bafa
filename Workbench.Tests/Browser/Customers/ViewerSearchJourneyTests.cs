using Microsoft.Playwright;
using Workbench.Core.Users;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Browser.Customers;

// A Viewer on the Customers page: contact details masked, and the search finds no one by a piece of them.
[Collection(AppCollection.Name)]
public sealed class ViewerSearchJourneyTests(AppFixture app)
{
    [Fact]
    public async Task Viewer_ProbesAPhoneAndAnAddress_FindsOnlyByTheWholeAddress()
    {
        var page = await app.OpenAsAsync("/customers", Roles.Viewer);
        await page.WaitForSelectorAsync("text=/5,0\\d\\d customers/");
        var search = page.Locator("#customer-search");
        Assert.Equal("customer id, name or a whole email address", await search.GetAttributeAsync("placeholder"));

        // C0000001 (sample data): +447528841845, davis.kieran1@example.com.
        foreach (var probe in new[] { "+4475288", "07528841845", "davis.kieran1@", "davis.kieran1@example", "%" })
        {
            await search.FillAsync(probe);
            await Assertions.Expect(page.Locator("#customer-total")).ToHaveTextAsync("0 customers");
        }
        await AppFixture.ScreenshotAsync(page, "customers-viewer-probe");

        await search.FillAsync("Davis.Kieran1@Example.com");
        await Assertions.Expect(page.Locator("#customer-total")).ToHaveTextAsync("1 customers");
        await Assertions.Expect(page.Locator("tbody tr").First).ToContainTextAsync("d***@example.com");
        await AppFixture.ScreenshotAsync(page, "customers-viewer-whole-email");
        await page.Context.CloseAsync();
    }
}
