using System.Globalization;
using CodingAgent.Application.Model;
using CodingAgent.Sandboxes;

namespace CodingAgent.Repositories;

/// <summary>The run's git checkout inside its sandbox, driven with real <c>git</c> commands.</summary>
public static class RepositoryWorkspace
{
    public const string DirectoryName = "repo";
    public const string TaskFolder = Agent.TaskFiles.Folder;
    private static readonly TimeSpan CloneTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan GitTimeout = TimeSpan.FromMinutes(2);
    private const string PatchMarker = "@@coding-agent:patch@@";

    public static string PathIn(ISandbox sandbox) => sandbox.HomePath + "/" + DirectoryName;

    /// <summary>Clones at the ref (default branch when null) unless a previous attempt already did; returns the resolved ref and base commit.</summary>
    public static async Task<(string Ref, string BaseSha)> CloneAsync(ISandbox sandbox, string cloneUrl, string? gitRef, CancellationToken cancellationToken)
    {
        string repo = PathIn(sandbox);
        CommandResult exists = await RunAsync(sandbox, $"test -d {Quote(repo)}/.git", null, GitTimeout, cancellationToken).ConfigureAwait(false);
        if (!exists.Succeeded)
        {
            // Cloned and checked out beside the final path, then moved: a retried attempt never sees a half-done checkout.
            string staging = repo + ".partial";
            string checkout = gitRef is { Length: > 0 } ? $" && git -C {Quote(staging)} -c advice.detachedHead=false checkout --quiet {Quote(gitRef)}" : string.Empty;
            await RunCheckedAsync(sandbox, $"rm -rf {Quote(staging)} && git clone --quiet -- {Quote(cloneUrl)} {Quote(staging)}{checkout} && mv {Quote(staging)} {Quote(repo)}",
                null, CloneTimeout, gitRef is { Length: > 0 } ? $"git clone at ref '{gitRef}'" : "git clone", cancellationToken).ConfigureAwait(false);
        }

        string sha = (await RunCheckedAsync(sandbox, "git rev-parse HEAD", repo, GitTimeout, "git rev-parse", cancellationToken).ConfigureAwait(false)).Trim();
        string resolved = gitRef is { Length: > 0 }
            ? gitRef
            : (await RunCheckedAsync(sandbox, "git rev-parse --abbrev-ref HEAD", repo, GitTimeout, "git rev-parse", cancellationToken).ConfigureAwait(false)).Trim();
        return (resolved, sha);
    }

    /// <summary>Keeps the task files out of git's view, so they are never part of the patch.</summary>
    public static async Task ExcludeTaskFolderAsync(ISandbox sandbox, CancellationToken cancellationToken)
    {
        string repo = PathIn(sandbox);
        string command = $"grep -qxF '/{TaskFolder}/' .git/info/exclude 2>/dev/null || echo '/{TaskFolder}/' >> .git/info/exclude";
        await RunCheckedAsync(sandbox, command, repo, GitTimeout, "git exclude setup", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The cumulative change against the base commit, untracked files included: its stats and its unified diff, from one
    /// command. Staged in a throwaway index, so the agent's own index (what it may have staged) is left exactly as it was.
    /// </summary>
    public static async Task<(PatchStats Stats, string Patch)> ChangesAsync(ISandbox sandbox, string baseSha, CancellationToken cancellationToken)
    {
        string command = "export GIT_INDEX_FILE=\"$(git rev-parse --git-dir)/coding-agent-patch-index\"; " +
            $"git read-tree HEAD && git add -A && git diff --cached --numstat {Quote(baseSha)} -- && echo {PatchMarker} && " +
            $"git diff --cached --binary {Quote(baseSha)} --; status=$?; rm -f \"$GIT_INDEX_FILE\"; exit $status";
        string output = await RunCheckedAsync(sandbox, command, PathIn(sandbox), GitTimeout, "git diff", cancellationToken).ConfigureAwait(false);
        int marker = output.IndexOf(PatchMarker + "\n", StringComparison.Ordinal);
        string numstat = marker < 0 ? output : output[..marker];
        string patch = marker < 0 ? string.Empty : output[(marker + PatchMarker.Length + 1)..];
        return (ParseNumstat(numstat), patch);
    }

    private static PatchStats ParseNumstat(string numstat)
    {
        int files = 0, additions = 0, deletions = 0;
        foreach (string line in numstat.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] columns = line.Split('\t');
            if (columns.Length < 3)
            {
                continue;
            }

            files++;
            additions += int.TryParse(columns[0], NumberStyles.None, CultureInfo.InvariantCulture, out int added) ? added : 0;
            deletions += int.TryParse(columns[1], NumberStyles.None, CultureInfo.InvariantCulture, out int deleted) ? deleted : 0;
        }

        return new PatchStats(files, additions, deletions);
    }

    private static async Task<string> RunCheckedAsync(
        ISandbox sandbox, string command, string? workingDirectory, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        CommandResult result = await RunAsync(sandbox, command, workingDirectory, timeout, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            string detail = result.TimedOut ? $"timed out after {timeout.TotalSeconds:0} s" : LastLines(result.Stderr.Length > 0 ? result.Stderr : result.Stdout);
            throw new SandboxException($"{what} failed: {detail}");
        }

        return result.Stdout;
    }

    private static Task<CommandResult> RunAsync(ISandbox sandbox, string command, string? workingDirectory, TimeSpan timeout, CancellationToken cancellationToken) =>
        sandbox.RunAsync(new CommandSpec(command, workingDirectory, Timeout: timeout), cancellationToken);

    private static string LastLines(string text)
    {
        string[] lines = text.Trim().Split('\n');
        return string.Join(" ", lines.TakeLast(3)).Trim();
    }

    private static string Quote(string value) => ShellQuote.Of(value);
}
