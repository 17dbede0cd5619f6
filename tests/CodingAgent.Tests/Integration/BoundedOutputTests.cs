using CodingAgent.Tests.Support;
using System.Diagnostics;
using CodingAgent.Configuration;
using CodingAgent.Sandboxes;
using CodingAgent.Sandboxes.Local;
using Microsoft.Extensions.Options;

namespace CodingAgent.Tests.Integration;

/// <summary>
/// A sandbox command's output is read with a bound (the trust boundary, item 6): a command that prints a gigabyte —
/// in lines, or as one line without an end — leaves the control plane's memory where it was, and the tail is kept.
/// </summary>
public sealed class BoundedOutputTests : IDisposable
{
    private const long Gigabyte = 1L << 30;
    private readonly string root = Directory.CreateTempSubdirectory("bounded-output-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Theory]
    [InlineData("yes 'validation output line' | head -c 1073741824; echo; echo the-end")]
    [InlineData("head -c 1073741824 /dev/zero | tr '\\0' x; echo the-end")]
    public async Task RunAsync_CommandPrintsAGigabyte_KeepsTheTailInBoundedMemory(string command)
    {
        using CancellationTokenSource limit = new(TimeSpan.FromSeconds(120));
        LocalSandboxProvider provider = new(Options.Create(new SandboxOptions { Local = { Root = root } }), TimeProvider.System);
        ISandbox sandbox = await provider.CreateAsync(new SandboxCreateRequest("bounded", TimeSpan.FromMinutes(5), new Dictionary<string, string>()), limit.Token);
        GC.Collect();
        long before = Resident();
        using CancellationTokenSource sampling = new();
        Task<long> highest = SampleHighestAsync(sampling.Token);

        CommandResult result = await sandbox.RunAsync(new CommandSpec(command, MaxOutputBytes: 64 * 1024), limit.Token);

        await sampling.CancelAsync();
        long grown = await highest - before;
        Assert.True(result.Succeeded, result.Stderr);
        Assert.EndsWith("the-end\n", result.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("[… ", result.Stdout, StringComparison.Ordinal);
        Assert.InRange(result.Stdout.Length, 64 * 1024, (64 * 1024) + 100);
        // Unbounded, a gigabyte of output would be at least that much memory (twice as UTF-16); bounded, it is buffers.
        Assert.True(grown < Gigabyte / 4, $"the test process grew by {grown / (1024 * 1024)} MB while reading the output");
        await provider.KillAsync(sandbox.Id, limit.Token);
    }

    private static long Resident()
    {
        using Process self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    // The resident size sampled while the command runs (the peak of the whole test process would include earlier tests).
    private static async Task<long> SampleHighestAsync(CancellationToken stop)
    {
        long highest = 0;
        while (!stop.IsCancellationRequested)
        {
            highest = Math.Max(highest, Resident());
            await Task.Delay(20, CancellationToken.None);
        }

        return Math.Max(highest, Resident());
    }
}
