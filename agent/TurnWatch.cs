namespace CodingAgent.Agent;

public enum TurnVerdict
{
    /// <summary>Keep following.</summary>
    Continue,

    /// <summary>The turn ended on its own: finished, failed, or aborted mid-step.</summary>
    Concluded,

    /// <summary>The turn started but the session stopped without concluding it (an abort between two steps).</summary>
    Stopped,

    /// <summary>The prompt was dropped: post it again (same message id, which is safe while it has no reply).</summary>
    Repost,

    /// <summary>The prompt never started; <see cref="TurnWatch.Reason"/> says why.</summary>
    NotStarted,
}

/// <summary>
/// Decides, from successive reads of the session, whether a posted prompt was taken, dropped, or has ended. "Idle" only
/// counts once it has lasted <c>settleTime</c> with no new reply: a prompt is stored a few milliseconds before its
/// run goes busy, and an idle event can belong to another run (architecture.md, "Posting a prompt").
/// </summary>
public sealed class TurnWatch(int maxPosts, TimeSpan settleTime, TimeSpan startTimeout, int postsSoFar, DateTimeOffset lastPostAt)
{
    private int posts = postsSoFar;
    private DateTimeOffset lastPost = lastPostAt;
    private int lastReplies = -1;
    private DateTimeOffset? idleSince;
    private bool replyStreamed;

    /// <summary>True while the watch wants frequent reads: the prompt is not confirmed, or the session looks stopped.</summary>
    public bool Settling { get; private set; } = true;

    public int Posts => posts;

    public string? Reason { get; private set; }

    /// <summary>
    /// The event stream showed a reply to the prompt, so the prompt was taken: no read is needed to confirm it, and it is
    /// never reposted (a reply exists). The message list still decides when the turn has ended.
    /// </summary>
    public void ReplyStreamed()
    {
        replyStreamed = true;
        Settling = idleSince is not null;
    }

    public TurnVerdict Observe(TurnProgress progress, bool busy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(progress);
        if (progress.Concluded)
        {
            return TurnVerdict.Concluded;
        }

        if (progress.Replies != lastReplies)
        {
            lastReplies = progress.Replies;
            idleSince = null;
        }

        bool started = progress.Started || replyStreamed;
        bool stalled = !busy && (!started || progress.LastReplyCompleted);
        idleSince = stalled ? idleSince ?? now : null;
        bool settled = idleSince is { } since && now - since >= settleTime;
        Settling = !started || idleSince is not null;
        if (started)
        {
            return settled ? TurnVerdict.Stopped : TurnVerdict.Continue;
        }

        if (settled)
        {
            if (posts >= maxPosts)
            {
                Reason = $"it was posted {posts} times and the session stayed idle each time.";
                return TurnVerdict.NotStarted;
            }

            posts++;
            lastPost = now;
            idleSince = null;
            return TurnVerdict.Repost;
        }

        if (now - lastPost >= startTimeout)
        {
            Reason = $"no reply within {startTimeout.TotalSeconds:0} s of the last post.";
            return TurnVerdict.NotStarted;
        }

        return TurnVerdict.Continue;
    }
}
