namespace LightNvr.Data;

/// <summary>User roles with upstream's numeric ids (users.role column and the user JSON's <c>role</c>).</summary>
public enum Role
{
    Admin = 0,
    User = 1,
    Viewer = 2,
    Api = 3,
}
