using System.Globalization;
using CodingAgent.Model;
using CodingAgent.Sandboxes;

namespace CodingAgent.Repositories;

/// <summary>
/// The run's git checkout inside its sandbox, driven with real <c>git</c> commands, each in <see cref="GitIsolation"/>'s
/// environment: the agent may have left hooks, an fsmonitor or a global configuration behind, and none of them runs.
/// </summary>
public static class RepositoryWorkspace
{
    public const string DirectoryName = "repo";
    public const string TaskFolder = TaskFiles.Folder;
    private static readonly TimeSpan CloneTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan GitTimeout = TimeSpan.FromMinutes(2);
    private const int NumstatAllowance = 1024 * 1024;

    public static string PathIn(ISandbox sandbox) => sandbox.HomePath + "/" + DirectoryName;

    /// <summary>Clones at the ref (default branch when null) unless a previous attempt already did; returns the resolved ref and base commit.</summary>
    /// <param name="token">For a private repository: reaches this one clone, for the clone URL only, through <see cref="GitCredentials"/>.</param>
    public static async Task<(string Ref, string BaseSha)> CloneAsync(
        ISandbox sandbox, string cloneUrl, string? gitRef, string? token, CancellationToken cancellationToken)
    {
        string repo = PathIn(sandbox);
        CommandResult exists = await RunAsync(sandbox, $"test -d {Quote(repo)}/.git", null, GitTimeout, cancellationToken).ConfigureAwait(false);
        if (!exists.Succeeded)
        {
            // Cloned and checked out beside the final path, then moved: a retried attempt never sees a half-done checkout.
            string staging = repo + ".partial";
            string checkout = gitRef is { Length: > 0 } ? $" && git -C {Quote(staging)} -c advice.detachedHead=false checkout --quiet {Quote(gitRef)}" : string.Empty;
            await RunCheckedAsync(sandbox,
                $"rm -rf {Quote(staging)} && git clone --quiet -- {Quote(cloneUrl)} {Quote(staging)}{checkout} && mv {Quote(staging)} {Quote(repo)}",
                null, CloneTimeout, gitRef is { Length: > 0 } ? $"git clone at ref '{gitRef}'" : "git clone", cancellationToken,
                config: GitCredentials.For(token, cloneUrl)).ConfigureAwait(false);
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
    public static async Task<(PatchStats Stats, string Patch, bool Truncated)> ChangesAsync(
        ISandbox sandbox, string baseSha, int maxPatchBytes, CancellationToken cancellationToken)
    {
        // One diff prints both: the numstat lines, an empty line, then the patch (no numstat line is empty; odd names are quoted).
        // Read at most a bounded prefix of it, so a huge change (a generated 200 MB file) never reaches the control plane whole.
        long readLimit = (long)maxPatchBytes + NumstatAllowance;
        string command = WithScratchIndex("patch",
            $"git diff --cached --no-ext-diff --no-textconv --numstat --binary {Quote(baseSha)} -- | head -c {readLimit.ToString(CultureInfo.InvariantCulture)}");
        string output = await RunCheckedAsync(sandbox, command, PathIn(sandbox), GitTimeout, "git diff", cancellationToken,
            maxOutputBytes: (int)Math.Min(int.MaxValue, readLimit)).ConfigureAwait(false);
        int end = output.IndexOf("\n\n", StringComparison.Ordinal);
        string numstat = end < 0 ? output : output[..(end + 1)];
        string patch = end < 0 ? string.Empty : output[(end + 2)..];
        if (patch.Length <= maxPatchBytes && output.Length < readLimit)
        {
            return (ParseNumstat(numstat), patch, false);
        }

        // Cut at a line end, so what is stored is a prefix of whole diff lines.
        int cut = patch.LastIndexOf('\n', Math.Min(patch.Length, maxPatchBytes) - 1);
        return (ParseNumstat(numstat), cut < 0 ? string.Empty : patch[..(cut + 1)], true);
    }

    /// <summary><c>git diff --check</c> over the whole change against the base commit, untracked files included (whitespace errors, conflict markers).</summary>
    public static Task<CommandResult> DiffCheckAsync(ISandbox sandbox, string baseSha, CancellationToken cancellationToken) =>
        RunAsync(sandbox, WithScratchIndex("check", $"git diff --cached --no-ext-diff --check {Quote(baseSha)} -- 2>&1"), PathIn(sandbox), GitTimeout, cancellationToken);

    /// <summary>A detached checkout of <paramref name="sha"/> at <paramref name="path"/>, sharing the repository's objects.</summary>
    public static async Task AddWorktreeAsync(ISandbox sandbox, string path, string sha, CancellationToken cancellationToken) =>
        await RunCheckedAsync(sandbox, $"rm -rf {Quote(path)} && git worktree prune && git worktree add --quiet --detach --force {Quote(path)} {Quote(sha)}",
            PathIn(sandbox), CloneTimeout, "git worktree add", cancellationToken).ConfigureAwait(false);

    public static async Task RemoveWorktreeAsync(ISandbox sandbox, string path, CancellationToken cancellationToken) =>
        await RunAsync(sandbox, $"git worktree remove --force {Quote(path)}; rm -rf {Quote(path)}; git worktree prune; exit 0",
            PathIn(sandbox), GitTimeout, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Runs <paramref name="body"/> against a throwaway index holding the whole working tree (untracked files included), so
    /// the agent's own index (what it may have staged) is left exactly as it was.
    /// </summary>
    private static string WithScratchIndex(string name, string body) =>
        $"export GIT_INDEX_FILE=\"$(git rev-parse --git-dir)/coding-agent-{name}-index\"; " +
        $"git read-tree HEAD && git add -A && {body}; status=$?; rm -f \"$GIT_INDEX_FILE\"; exit $status";

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

    public static async Task<string> RunCheckedAsync(
        ISandbox sandbox, string command, string? workingDirectory, TimeSpan timeout, string what, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<KeyValuePair<string, string>>? config = null,
        int maxOutputBytes = CommandSpec.DefaultMaxOutputBytes)
    {
        CommandSpec spec = new(command, workingDirectory, GitIsolation.Environment(environment, config), timeout, maxOutputBytes);
        CommandResult result = await sandbox.RunAsync(spec, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            string detail = result.TimedOut ? $"timed out after {timeout.TotalSeconds:0} s" : LastLines(result.Stderr.Length > 0 ? result.Stderr : result.Stdout);
            throw new SandboxException($"{what} failed: {detail}");
        }

        return result.Stdout;
    }

    public static Task<CommandResult> RunAsync(ISandbox sandbox, string command, string? workingDirectory, TimeSpan timeout, CancellationToken cancellationToken) =>
        sandbox.RunAsync(new CommandSpec(command, workingDirectory, GitIsolation.Environment(), timeout), cancellationToken);

    private static string LastLines(string text)
    {
        string[] lines = text.Trim().Split('\n');
        return string.Join(" ", lines.TakeLast(3)).Trim();
    }

    private static string Quote(string value) => ShellQuote.Of(value);
}
