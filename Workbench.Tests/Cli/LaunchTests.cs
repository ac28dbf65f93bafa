using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Workbench.Cli;
using Workbench.Tests.TestSupport;

namespace Workbench.Tests.Cli;

public sealed class LaunchTests
{
    [Theory]
    [InlineData(new string[0], LaunchKind.Server)]
    [InlineData(new[] { "serve" }, LaunchKind.Server)]
    [InlineData(new[] { "serve", "--urls", "http://127.0.0.1:5000" }, LaunchKind.Server)]
    [InlineData(new[] { "--urls", "http://127.0.0.1:5000" }, LaunchKind.Server)]
    [InlineData(new[] { "--environment=Production", "--contentRoot=/tmp", "--Workbench:LoadSampleData=false" }, LaunchKind.Server)]
    [InlineData(new[] { "import", "customers", "c.csv" }, LaunchKind.Verb)]
    [InlineData(new[] { "plays", "export" }, LaunchKind.Verb)]
    [InlineData(new[] { "campaign", "list" }, LaunchKind.Verb)]
    [InlineData(new[] { "frobnicate", "now" }, LaunchKind.Unknown)]
    [InlineData(new[] { "--frobnicate" }, LaunchKind.Unknown)]
    [InlineData(new[] { "--urls" }, LaunchKind.Unknown)]
    [InlineData(new[] { "serve", "extra" }, LaunchKind.Unknown)]
    public void Classify_TellsServerVerbAndMistake(string[] args, LaunchKind expected) =>
        Assert.Equal(expected, CommandLine.Classify(args));

    [Fact]
    public async Task UnknownVerb_PrintsTheVerbListAndExitsWith2_WithoutStartingTheServer()
    {
        var directory = Directory.CreateTempSubdirectory("wb-launch-").FullName;

        var (exit, stdout, stderr) = await WorkbenchProcess.RunAsync(directory, "frobnicate", "now");

        Assert.Equal(2, exit);
        Assert.Contains("'frobnicate now' is not a verb", stderr);
        Assert.Contains("segment refresh", stderr);
        Assert.DoesNotContain("Now listening", stdout);
    }

    [Fact]
    public async Task Serve_StartsTheWebApp()
    {
        var directory = Directory.CreateTempSubdirectory("wb-serve-").FullName;
        var port = FreePort();
        var info = WorkbenchProcess.StartInfo(directory, "serve", "--urls", $"http://127.0.0.1:{port}");
        info.Environment["ConnectionStrings__Workbench"] = $"Data Source={Path.Combine(directory, "workbench.db")}";
        info.Environment["Workbench__LoadSampleData"] = "false";
        info.Environment["Workbench__Admin__Password"] = "Serve-Test-Pass-1!";
        using var app = Process.Start(info)!;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var clock = Stopwatch.StartNew();
            HttpStatusCode? status = null;
            while (status is null && clock.Elapsed < TimeSpan.FromSeconds(60) && !app.HasExited)
            {
                try { status = (await http.GetAsync("login")).StatusCode; }
                catch (HttpRequestException) { await Task.Delay(200); }
            }
            Assert.Equal(HttpStatusCode.OK, status);
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
