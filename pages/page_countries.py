"""placeholder"""
import streamlit as st
st.write("countries")
