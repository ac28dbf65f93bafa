using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Web;

// The built app, started as a process in each environment on an empty store, serves its MudBlazor and Plotly assets
// and the sign-in page, and binds where --urls says.
public sealed class EnvironmentTests
{
    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task App_InEachEnvironment_ServesItsStaticAssetsAndTheSignInPage(string environment)
    {
        var directory = Path.Combine(Path.GetTempPath(), "wb-env-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var port = FreePort();
        var info = WorkbenchProcess.StartInfo(directory, "--urls", $"http://127.0.0.1:{port}");
        info.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        info.Environment["ConnectionStrings__Workbench"] = $"Data Source={Path.Combine(directory, "workbench.db")}";
        info.Environment["Workbench__LoadSampleData"] = "false";
        info.Environment["Workbench__Admin__Password"] = "Env-Test-Pass-1!";
        using var app = Process.Start(info)!;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitUntilServingAsync(http, app);

            foreach (var asset in new[] { "_content/MudBlazor/MudBlazor.min.css", "_content/MudBlazor/MudBlazor.min.js", "_framework/blazor.web.js" })
            {
                var response = await http.GetAsync(asset);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{environment}: {asset} answered {(int)response.StatusCode}");
            }
            var login = await http.GetStringAsync("login");
            Assert.Contains("Sign in", login);
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task WaitUntilServingAsync(HttpClient http, Process app)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (app.HasExited) throw new InvalidOperationException($"the app exited with {app.ExitCode}: {await app.StandardError.ReadToEndAsync()}");
            try
            {
                if ((await http.GetAsync("login")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("the app did not answer");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
