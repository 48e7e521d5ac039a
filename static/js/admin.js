// Names for the controls that Django admin's own scripts draw without one (WCAG 4.1.2), on
// every admin page (templates/admin/base_site.html loads this file, deferred: it runs after
// the admin's scripts have set up their widgets).
//
// - An autocomplete box (select2) is named by its field's label, besides the choice it shows;
//   its search box, drawn when it opens, is named after the field too.
// - The little search icons of a two-list picker (filter_horizontal) carry their help as an
//   aria-label, which a plain span may not have: they are given the role of an image.
'use strict';
{
    function labelOf(select) {
        return select.id ? document.querySelector(`label[for="${CSS.escape(select.id)}"]`) : null;
    }

    function fieldName(select) {
        const label = labelOf(select);
        return label ? label.textContent.trim().replace(/:$/, '') : '';
    }

    function searchName(select) {
        return `${fieldName(select)}: search`;
    }

    function nameAutocompletes(root) {
        root.querySelectorAll('select.admin-autocomplete').forEach((select) => {
            const label = labelOf(select);
            const container = select.nextElementSibling;
            if (!label || !container || !container.classList.contains('select2')) {
                return;
            }
            if (!label.id) {
                label.id = `${select.id}-label`;
            }
            const selection = container.querySelector('.select2-selection');
            const rendered = container.querySelector('.select2-selection__rendered');
            if (selection) {
                const shown = rendered && rendered.id ? ` ${rendered.id}` : '';
                selection.setAttribute('aria-labelledby', label.id + shown);
            }
            if (rendered) {
                // What it shows is part of the box's name, not a text box of its own.
                rendered.removeAttribute('role');
                rendered.removeAttribute('aria-readonly');
            }
            container.querySelectorAll('.select2-search__field').forEach((field) => {
                field.setAttribute('aria-label', searchName(select));
            });
        });
    }

    function nameFilterIcons(root) {
        root.querySelectorAll('.search-label-icon[aria-label]').forEach((icon) => {
            icon.setAttribute('role', 'img');
        });
    }

    function nameAll(root) {
        nameAutocompletes(root);
        nameFilterIcons(root);
    }

    const $ = window.django && window.django.jQuery;
    if ($) {
        // After autocomplete.js's own ready handler, which draws the boxes.
        $(() => nameAll(document));
        // Open, the box controls its list of choices, and its search box is named.
        $(document).on('select2:open', (event) => {
            const select = event.target;
            const selection = select.nextElementSibling.querySelector('.select2-selection');
            selection.setAttribute('aria-controls', `select2-${select.id}-results`);
            document.querySelectorAll('.select2-container--open .select2-search__field')
                .forEach((field) => field.setAttribute('aria-label', searchName(select)));
        });
        $(document).on('select2:close', (event) => {
            const selection = event.target.nextElementSibling.querySelector('.select2-selection');
            selection.removeAttribute('aria-controls');
        });
    }
    // A row added to an inline form set (after autocomplete.js draws its boxes).
    document.addEventListener('formset:added', (event) => nameAll(event.target));
    // The two-list pickers are drawn when the page has loaded (SelectFilter2.js).
    window.addEventListener('load', () => nameAll(document));
}
