namespace LightNvr.Events;

/// <summary>The feed's <c>event:</c> names: <c>start</c>, <c>update</c>, <c>end</c>.</summary>
public enum EventChangeKind
{
    Start,
    Update,
    End,
}
