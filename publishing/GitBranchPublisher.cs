using System.Text;
using CodingAgent.Configuration;
using CodingAgent.Repositories;
using CodingAgent.Sandboxes;
using Microsoft.Extensions.Options;

namespace CodingAgent.Publishing;

/// <summary>
/// git in the sandbox for publishing: the run's branch, a commit of what the agent left, and a push that never forces.
/// The push token reaches only the push command, for the run's remote only (<see cref="GitCredentials"/>), and the push
/// reads nothing the agent could have written: no hook, configuration or remote of the checkout.
/// </summary>
public sealed class GitBranchPublisher(IOptions<PublishingOptions> options)
{
    private static readonly TimeSpan GitTimeout = TimeSpan.FromMinutes(2);
    private static readonly string[] RejectionMarkers = ["[rejected]", "non-fast-forward", "(fetch first)", "[remote rejected]"];

    /// <summary>
    /// Commits the working tree (when it changed) on <paramref name="branch"/> and pushes the branch to
    /// <paramref name="remoteUrl"/> (the run's clone URL, never the checkout's <c>origin</c>). Returns the pushed commit,
    /// or null when there was nothing new since <paramref name="lastPushed"/> (or the base commit).
    /// </summary>
    public async Task<string?> CommitAndPushAsync(
        ISandbox sandbox, string remoteUrl, string branch, string message, string baseSha, string? lastPushed, string? token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        string repo = RepositoryWorkspace.PathIn(sandbox);
        string quotedBranch = ShellQuote.Of(branch);
        await RepositoryWorkspace.RunCheckedAsync(sandbox,
            $"[ \"$(git symbolic-ref -q --short HEAD)\" = {quotedBranch} ] || git checkout --quiet -B {quotedBranch}",
            repo, GitTimeout, $"switching to branch {branch}", cancellationToken).ConfigureAwait(false);

        // The message file sits in the task folder, which git ignores, so it is never part of the commit.
        string messageFile = $"{repo}/{RepositoryWorkspace.TaskFolder}/commit-message.txt";
        await sandbox.WriteFileAsync(messageFile, Encoding.UTF8.GetBytes(message), cancellationToken).ConfigureAwait(false);
        await RepositoryWorkspace.RunCheckedAsync(sandbox,
            $"git add -A && (git diff --cached --quiet || git commit --quiet --no-verify -F {ShellQuote.Of(messageFile)})",
            repo, GitTimeout, "git commit", cancellationToken, Identity()).ConfigureAwait(false);
        string head = (await RepositoryWorkspace.RunCheckedAsync(sandbox, "git rev-parse HEAD", repo, GitTimeout, "git rev-parse", cancellationToken)
            .ConfigureAwait(false)).Trim();
        if (head == (lastPushed ?? baseSha))
        {
            return null;
        }

        TimeSpan pushTimeout = TimeSpan.FromSeconds(options.Value.PushTimeoutSeconds);
        CommandResult push = await sandbox.RunAsync(new CommandSpec(
            PushCommand(repo, remoteUrl, head, branch), null, GitIsolation.Environment(config: GitCredentials.For(token, remoteUrl)), pushTimeout), cancellationToken)
            .ConfigureAwait(false);
        if (!push.Succeeded)
        {
            string output = Scrub(push.Stdout + "\n" + push.Stderr, token);
            throw new PublishException(RejectionMarkers.Any(m => output.Contains(m, StringComparison.Ordinal))
                ? $"The branch '{branch}' on the remote has commits this run does not have (non-fast-forward); nothing was force-pushed. Publish to another branch, or bring the remote branch back."
                : push.TimedOut
                    ? $"git push of '{branch}' timed out after {pushTimeout.TotalSeconds:0} s."
                    : $"git push of '{branch}' failed: {LastLines(output)}");
        }

        return head;
    }

    /// <summary>Whether the clone's remote has a branch of that name (a ref that is a tag or a commit is not one).</summary>
    public async Task<bool> IsRemoteBranchAsync(ISandbox sandbox, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        CommandResult result = await RepositoryWorkspace.RunAsync(sandbox, $"git show-ref --verify --quiet {ShellQuote.Of("refs/remotes/origin/" + name)}",
            RepositoryWorkspace.PathIn(sandbox), GitTimeout, cancellationToken).ConfigureAwait(false);
        return result.Succeeded;
    }

    /// <summary>
    /// The push runs in a fresh, empty repository of its own (a temporary folder, removed after) that borrows the checkout's
    /// objects through <c>objects/info/alternates</c>: git reads the checkout's object files and nothing else of it. Inside
    /// the checkout git would read its <c>.git/config</c> whatever the command line says: <c>url.*.insteadOf</c> rewrites
    /// even an explicit URL, <c>remote.*</c>, <c>include.path</c>, <c>core.sshCommand</c>, <c>core.askPass</c>,
    /// <c>credential.*</c> and <c>http.*</c> (proxies, headers) apply, and <c>-c</c> can override keys but not delete them.
    /// The fresh repository has no hooks (<c>--template=</c>, <c>core.hooksPath=/dev/null</c>, <c>--no-verify</c>), and
    /// <see cref="GitIsolation"/> keeps system and global configuration out, so the URL given is the URL pushed to.
    /// </summary>
    private static string PushCommand(string repo, string remoteUrl, string sha, string branch) =>
        "scratch=\"$(mktemp -d)\" && trap 'rm -rf \"$scratch\"' EXIT && git init --quiet --bare --template= \"$scratch\" && " +
        $"printf '%s\\n' {ShellQuote.Of(repo + "/.git/objects")} > \"$scratch/objects/info/alternates\" && " +
        $"git --git-dir=\"$scratch\" push --no-verify --porcelain {ShellQuote.Of(remoteUrl)} {ShellQuote.Of(sha + ":refs/heads/" + branch)}";

    private Dictionary<string, string> Identity()
    {
        PublishingOptions publishing = options.Value;
        return new Dictionary<string, string>
        {
            ["GIT_AUTHOR_NAME"] = publishing.AuthorName,
            ["GIT_AUTHOR_EMAIL"] = publishing.AuthorEmail,
            ["GIT_COMMITTER_NAME"] = publishing.CommitterName ?? publishing.AuthorName,
            ["GIT_COMMITTER_EMAIL"] = publishing.CommitterEmail ?? publishing.AuthorEmail,
        };
    }

    private static string Scrub(string text, string? token) =>
        token is { Length: > 0 } ? text.Replace(token, "***", StringComparison.Ordinal) : text;

    private static string LastLines(string text) => string.Join(" ", text.Trim().Split('\n').TakeLast(4).Select(l => l.Trim())).Trim();
}
