using System.Diagnostics;

namespace CodingAgent.Tests.Support;

/// <summary>A real Azurite (the npm package pinned in package-lock.json) on free loopback ports with its own data folder.</summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process process;
    private readonly string location;

    private AzuriteServer(Process process, string location, int blob, int queue, int table)
    {
        this.process = process;
        this.location = location;
        ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AccountKey
            + $";BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1"
            + $";TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";
    }

    public string ConnectionString { get; }

    /// <param name="inMemory">Keep nothing on disk (faster; the data dies with the process).</param>
    public static async Task<AzuriteServer> StartAsync(bool inMemory = false)
    {
        string location = Directory.CreateTempSubdirectory("azurite-").FullName;
        int blob = FreePort.Next(), queue = FreePort.Next(), table = FreePort.Next();
        ProcessStartInfo info = new(RepoRoot.Azurite)
        {
            ArgumentList =
            {
                "--silent", "--skipApiVersionCheck", "--disableTelemetry",
                "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(), "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(),
                "--tableHost", "127.0.0.1", "--tablePort", table.ToString(),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Azurite refuses a location together with in-memory persistence.
        info.ArgumentList.Add(inMemory ? "--inMemoryPersistence" : "--location");
        if (!inMemory)
        {
            info.ArgumentList.Add(location);
        }

        Process process = Process.Start(info) ?? throw new InvalidOperationException("Azurite did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(30));
        foreach (int port in new[] { blob, queue, table })
        {
            await FreePort.WaitForListenerAsync(port, timeout.Token);
        }

        return new AzuriteServer(process, location, blob, queue, table);
    }

    public async ValueTask DisposeAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        Directory.Delete(location, recursive: true);
    }
}
