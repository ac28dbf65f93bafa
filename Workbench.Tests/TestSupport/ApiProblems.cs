using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Workbench.Tests.TestSupport;

// An API error answer: the status expected, as application/problem+json; its body to look into.
public static class ApiProblems
{
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
