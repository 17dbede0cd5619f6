namespace CodingAgent.Sandboxes.Local;

/// <summary>Follows symbolic links in the part of a path that exists, as the kernel would when the path is opened.</summary>
internal static class RealPaths
{
    private const int MaxLinks = 40;

    /// <param name="full">An absolute, normalised path (no <c>..</c>), as <see cref="Path.GetFullPath(string)"/> returns.</param>
    public static string Of(string full)
    {
        for (int links = 0; links <= MaxLinks; links++)
        {
            if (FirstLink(full) is not { } resolved)
            {
                return full;
            }

            full = resolved;
        }

        throw new SandboxException("Too many symbolic links in a sandbox path.");
    }

    // The path with its first link replaced by the link's target; null when no component is a link.
    private static string? FirstLink(string full)
    {
        string current = Path.GetPathRoot(full) ?? "/";
        string[] parts = full[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < parts.Length; i++)
        {
            string next = Path.Join(current, parts[i]);
            switch (LinkTarget(next))
            {
                case null:
                    return null; // does not exist: nothing below it can be a link
                case { Length: 0 }:
                    current = next;
                    break;
                case { } target:
                    return Path.GetFullPath(Path.Join([Path.GetFullPath(target, current), .. parts[(i + 1)..]]));
            }
        }

        return null;
    }

    // A link's target (a dangling link included); empty for an existing path that is no link; null when nothing is there.
    private static string? LinkTarget(string path)
    {
        try
        {
            FileInfo info = new(path);
            return info.LinkTarget ?? (Path.Exists(path) ? string.Empty : null);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
