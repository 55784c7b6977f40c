// The person's own clock, which the server cannot know: a UTC time as the browser's time zone shows it.
// (dateStyle and timeStyle cannot be combined with timeZoneName, hence the fields one by one.)
export function localTime(iso) {
    return new Date(iso).toLocaleString(undefined,
        { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
}
