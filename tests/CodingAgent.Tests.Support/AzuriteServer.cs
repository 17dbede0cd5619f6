using System.Diagnostics;

namespace CodingAgent.Tests.Support;

/// <summary>
/// A real Azurite (the npm package pinned in package-lock.json) on free loopback ports with its own data folder. Blob,
/// queue and table each run in a process of their own: every Azurite service is single-threaded JavaScript, and the
/// Durable Task provider's queue polling would otherwise queue up behind the table queries on one core.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly IReadOnlyList<Process> processes;
    private readonly string location;

    private AzuriteServer(IReadOnlyList<Process> processes, string location, int blob, int queue, int table)
    {
        this.processes = processes;
        this.location = location;
        ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AccountKey
            + $";BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1"
            + $";TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";
    }

    public string ConnectionString { get; }

    /// <param name="inMemory">Keep blobs and tables in memory (faster; the data dies with the process); queues stay on disk.</param>
    public static async Task<AzuriteServer> StartAsync(bool inMemory = false)
    {
        string location = Directory.CreateTempSubdirectory("azurite-").FullName;
        int blob = FreePort.Next(), queue = FreePort.Next(), table = FreePort.Next();
        List<Process> processes = [];
        try
        {
            foreach ((string service, int port) in new[] { ("blob", blob), ("queue", queue), ("table", table) })
            {
                // The queue service keeps its data on disk even in memory mode: its in-memory store makes one extent per
                // message, and its garbage collector then removes them one by one, rebuilding an index each time (a
                // stall of tens of seconds once the durable provider has passed a few thousand messages through).
                processes.Add(Start(service, port, inMemory && service != "queue" ? null : Path.Combine(location, service)));
            }

            using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(30));
            foreach (int port in new[] { blob, queue, table })
            {
                await FreePort.WaitForListenerAsync(port, timeout.Token);
            }
        }
        catch
        {
            await StopAsync(processes);
            throw;
        }

        return new AzuriteServer(processes, location, blob, queue, table);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(processes);
        Directory.Delete(location, recursive: true);
    }

    /// <param name="dataFolder">Null: in memory (Azurite refuses a location together with in-memory persistence).</param>
    private static Process Start(string service, int port, string? dataFolder)
    {
        ProcessStartInfo info = new(RepoRoot.Azurite + "-" + service)
        {
            ArgumentList = { "--silent", "--skipApiVersionCheck", "--disableTelemetry", $"--{service}Host", "127.0.0.1", $"--{service}Port", port.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (dataFolder is null)
        {
            info.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(dataFolder);
            info.ArgumentList.Add("--location");
            info.ArgumentList.Add(dataFolder);
        }

        Process process = Process.Start(info) ?? throw new InvalidOperationException($"Azurite {service} did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task StopAsync(IEnumerable<Process> processes)
    {
        foreach (Process process in processes)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }
}
