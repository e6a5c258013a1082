// The Content-Security-Policy runs no inline event handlers (onclick="…"), so buttons ask for browser behaviour with a data
// attribute instead. Listening on the document keeps working across Blazor's enhanced navigation, which swaps the page's content.
document.addEventListener('click', event => {
    if (event.target instanceof Element && event.target.closest('[data-print]')) {
        window.print();
    }
});
