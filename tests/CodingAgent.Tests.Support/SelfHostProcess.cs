using System.Collections.Concurrent;
using System.Diagnostics;

namespace CodingAgent.Tests.Support;

/// <summary>The real self-host (its built dll) as a separate process, configured only through environment variables, as a user runs it.</summary>
public sealed class SelfHostProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output;

    private SelfHostProcess(Process process, ConcurrentQueue<string> output, Uri baseUrl)
    {
        this.process = process;
        this.output = output;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public int ProcessId => process.Id;

    public string RecentOutput => string.Join('\n', output.TakeLast(200));

    public static async Task<SelfHostProcess> StartAsync(IReadOnlyDictionary<string, string> environment, int? port = null)
    {
        int listenPort = port ?? FreePort.Next();
        Uri baseUrl = new($"http://127.0.0.1:{listenPort}/");
        ProcessStartInfo info = new("dotnet") { ArgumentList = { RepoRoot.SelfHostDll }, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach ((string key, string value) in environment)
        {
            info.Environment[key] = value;
        }

        info.Environment["ASPNETCORE_URLS"] = baseUrl.ToString().TrimEnd('/');
        ConcurrentQueue<string> output = new();
        Process process = Process.Start(info) ?? throw new InvalidOperationException("The self-host did not start.");
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        SelfHostProcess host = new(process, output, baseUrl);
        using HttpClient http = new() { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(5) };
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(60));
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The self-host exited with {process.ExitCode}:\n{host.RecentOutput}");
            }

            try
            {
                using HttpResponseMessage health = await http.GetAsync("api/health", timeout.Token);
                if (health.IsSuccessStatusCode)
                {
                    return host;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!timeout.IsCancellationRequested)
            {
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
    }

    private static void Keep(ConcurrentQueue<string> output, string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 400)
        {
            output.TryDequeue(out _);
        }
    }
}
