using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CodingAgent.Model;
using CodingAgent.Configuration;
using CodingAgent.Storage;
using Microsoft.Extensions.Options;

namespace CodingAgent.Tests.Support;

/// <summary>
/// Looks behind the API: the local sandboxes on disk (<c>&lt;root&gt;/&lt;id&gt;/home</c>, the provider's records in
/// <c>&lt;root&gt;/.state/&lt;id&gt;/</c>) and the stored run records.
/// </summary>
public sealed class SandboxInspector(TestEnvironment environment)
{
    public const string StateFolder = ".state";

    /// <summary>The sandbox directories (<c>&lt;root&gt;/&lt;id&gt;</c>) of a run: every sandbox whose state names it, deleted or not.</summary>
    public IReadOnlyList<string> SandboxesOf(string runId) =>
        (Directory.Exists(Path.Combine(environment.SandboxRoot, StateFolder))
            ? Directory.EnumerateDirectories(Path.Combine(environment.SandboxRoot, StateFolder), "lsb-*")
            : [])
            .Select(state => Path.Combine(environment.SandboxRoot, Path.GetFileName(state)))
            .Where(sandbox => (string?)Metadata(sandbox)?["metadata"]?["codingAgentRunId"] == runId)
            .ToList();

    /// <summary>The provider's state folder of a sandbox directory.</summary>
    public static string StateOf(string sandbox) => Path.Combine(Path.GetDirectoryName(sandbox)!, StateFolder, Path.GetFileName(sandbox));

    /// <summary>The recorded background processes of a sandbox that are still the processes recorded.</summary>
    public static IReadOnlyList<int> ProcessIds(string sandbox) => RecordedProcesses(StateOf(sandbox));

    /// <summary>Pids of well-formed records (<c>processes/&lt;pid&gt;.pid</c> holding its start time) that still match /proc; anything else is skipped.</summary>
    public static IReadOnlyList<int> RecordedProcesses(string state)
    {
        string processes = Path.Combine(state, "processes");
        if (!Directory.Exists(processes))
        {
            return [];
        }

        List<int> pids = [];
        foreach (string file in Directory.EnumerateFiles(processes, "*.pid"))
        {
            if (int.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 1
                && ulong.TryParse(ReadOrEmpty(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong start)
                && Stat(pid) is { } stat && stat.StartTime == start)
            {
                pids.Add(pid);
            }
        }

        return pids;
    }

    public static bool IsAlive(int pid) => Stat(pid) is { State: not ('Z' or 'X') };

    /// <summary>State (field 3), process group (field 5) and start time (field 22) of <c>/proc/&lt;pid&gt;/stat</c>; null when gone.</summary>
    public static (char State, int Group, ulong StartTime)? Stat(int pid)
    {
        string text = ReadOrEmpty($"/proc/{pid}/stat");
        string[] fields = text.Length == 0 ? [] : text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length >= 20 ? (fields[0][0], int.Parse(fields[2], CultureInfo.InvariantCulture), ulong.Parse(fields[19], CultureInfo.InvariantCulture)) : null;
    }

    public async Task<RunRecord> RunRecordAsync(string account, string runId) =>
        await Runs().GetAsync(new RunKey(account, runId), CancellationToken.None) ?? throw new InvalidOperationException("no run record");

    /// <summary>Changes the stored run record behind the API's back (e.g. to leave the state a crash would leave).</summary>
    public Task<RunRecord> UpdateRunRecordAsync(string account, string runId, Func<RunRecord, RunRecord> change) =>
        Runs().UpdateAsync(new RunKey(account, runId), change, CancellationToken.None);

    private RunStore Runs() => new(new StorageClients(Options.Create(new StorageOptions { ConnectionString = environment.StorageConnectionString, NamePrefix = environment.NamePrefix })));

    private static JsonNode? Metadata(string sandbox)
    {
        try
        {
            return JsonNode.Parse(ReadOrEmpty(Path.Combine(StateOf(sandbox), "sandbox.json")));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string ReadOrEmpty(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}
