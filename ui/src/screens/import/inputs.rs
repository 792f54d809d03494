//! The small labelled fields of a review row. A field commits when the officer leaves it (or
//! presses Enter): units are typed separated by ";", and re-writing them at each keystroke
//! would eat the ";" just typed.

use yew::prelude::*;

use super::state::{Action, Field, Review};

/// A labelled one-line field of a row, written back to `field` on change.
pub fn field_input(
    class: &'static str,
    label: &'static str,
    value: String,
    field: Field,
    key: u64,
    disabled: bool,
    dispatch: &UseReducerDispatcher<Review>,
) -> Html {
    let dispatch = dispatch.clone();
    let onchange = Callback::from(move |e: Event| {
        let value = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
        dispatch.dispatch(Action::Edit { key, field, value });
    });
    html! {
        <label class="review-field">
            <span>{ label }</span>
            <input class={class} {value} {onchange} {disabled} title={label} />
        </label>
    }
}

/// Units as one field: "Công an xã; Văn phòng – Thống kê".
pub fn units_input(
    class: &'static str,
    label: &'static str,
    units: &[String],
    field: Field,
    key: u64,
    disabled: bool,
    dispatch: &UseReducerDispatcher<Review>,
) -> Html {
    field_input(class, label, units.join("; "), field, key, disabled, dispatch)
}
