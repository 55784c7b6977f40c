// Brings a place on the run page into view and moves the keyboard focus there (a to-do item's row), below the sticky summary.
export function reveal(id) {
    requestAnimationFrame(() => {
        const element = document.getElementById(id);
        if (!element) return;
        element.scrollIntoView({ block: "center" });
        element.focus({ preventScroll: true });
    });
}
