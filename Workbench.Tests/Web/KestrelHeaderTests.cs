using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Web;

// Against the real app process (Kestrel), since the in-process test server never sends a Server header anyway.
[Collection(AppCollection.Name)]
public sealed class KestrelHeaderTests(AppFixture app)
{
    [Theory]
    [InlineData("/login")]
    [InlineData("/api/me")]
    public async Task Replies_CarryNoServerHeader(string path)
    {
        using var http = new HttpClient();

        var response = await http.GetAsync(app.BaseUrl + path);

        Assert.False(response.Headers.Contains("Server"), string.Join(", ", response.Headers.Select(h => h.Key)));
        Assert.True(response.Headers.CacheControl?.NoStore);
    }
}
