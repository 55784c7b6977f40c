using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BotCore.MigrationPortal.Tests.EndToEnd;

/// <summary>
/// The real portal executable in sandbox mode on a free local port, as a newcomer starts it, with a known demo
/// password and a small delay per simulated step so that live progress can be watched.
/// </summary>
public class SandboxPortal : IAsyncLifetime
{
    public const string Password = "e2e-demo-password-1";
    private readonly StringBuilder output = new();
    private Process? process;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Where this portal writes its log files (one folder per portal process).</summary>
    public string LogDirectory { get; } = Path.Combine(Path.GetTempPath(), "botcore-e2e-logs", Guid.NewGuid().ToString("N"));

    /// <summary>More command-line settings, for a portal configured otherwise.</summary>
    protected virtual IEnumerable<string> ExtraArguments => [];

    /// <summary>What the portal printed, for a failing test's message.</summary>
    public string Output
    {
        get
        {
            lock (output) return output.ToString();
        }
    }

    /// <summary>Why the portal could not be started here; the tests skip with it.</summary>
    public string? SkipReason { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(RepositoryPaths.PortalDll))
        {
            SkipReason = $"The portal is not built at {RepositoryPaths.PortalDll}: run dotnet build first.";
            return;
        }
        BaseUrl = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(RepositoryPaths.PortalDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            RepositoryPaths.PortalDll, "--sandbox", "--urls", BaseUrl, $"--Sandbox:DemoPassword={Password}", "--Sandbox:StepDelayMilliseconds=120",
            $"--Portal:LogDirectory={LogDirectory}",
        }.Concat(ExtraArguments))
        {
            start.ArgumentList.Add(argument);
        }
        process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitUntilHealthyAsync();
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process!.HasExited) throw new InvalidOperationException($"The portal exited with {process.ExitCode}:\n{Output}");
            try
            {
                if ((await http.GetAsync($"{BaseUrl}/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The portal did not become healthy within 60 s:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        process?.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// The sandbox portal as if behind a TLS proxy on this machine: it believes X-Forwarded-For from 127.0.0.1, so each browser
/// context can stand for another client address. Open pages re-check their session every 30 s instead of 10 s, so that a
/// test acts from a stale page before the page notices by itself (and then sees it notice).
/// </summary>
public sealed class ProxiedSandboxPortal : SandboxPortal
{
    public static readonly TimeSpan PageRecheck = TimeSpan.FromSeconds(30);

    protected override IEnumerable<string> ExtraArguments =>
        ["--Portal:ForwardedHeaders:KnownProxies:0=127.0.0.1", $"--Portal:Sessions:PageRecheckSeconds={PageRecheck.TotalSeconds}"];
}
