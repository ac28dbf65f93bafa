using Microsoft.Playwright;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Browser.Privacy;

[Collection(AppCollection.Name)]
public sealed class PrivacyPageTests(AppFixture app)
{
    [Fact]
    public async Task Erase_AfterConfirmation_RemovesTheCustomerAndSaysWhatWasKept()
    {
        var page = await app.OpenAsync("/privacy");

        await page.FillAsync("#privacy-customer-id", "C0000002");
        await page.ClickAsync("#privacy-erase");
        await page.Locator(".mud-dialog button", new() { HasText = "Erase" }).ClickAsync();
        await Assertions.Expect(page.Locator("#privacy-message")).ToContainTextAsync("erased");
        var message = await page.Locator("#privacy-message").InnerTextAsync();

        Assert.Contains("Customer C0000002 erased", message);
        Assert.Contains("Kept under an anonymous key", message);
        Assert.DoesNotContain("ERASED-", message);
        Assert.Contains("free pages were overwritten", message);
        await AppFixture.ScreenshotAsync(page, "auth-privacy-erased");
        using var http = new HttpClient();
        var cookies = await page.Context.CookiesAsync();
        http.DefaultRequestHeaders.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Name}={c.Value}")));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(app.BaseUrl + "/api/privacy/customers/C0000002")).StatusCode);
    }
}
